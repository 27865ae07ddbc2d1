import type * as z from "zod";
import { type AuditSubject, auditEntry, audited } from "./audit-trail";
import type { requestIdParams } from "./four-eyes";
import type { HttpApiDeps } from "./member-access";
import type { Principal } from "./principal";
import { defineRoute, type Route } from "./route";

// A second marketer's approval or rejection of a request that waits for one (adjustments, bulk grants): the same
// POST /<kind>s/{id}/<decision> for each kind, written to the audit trail before it acts.

export type Decision = "approve" | "reject";

export interface DecisionRouteSpec<R extends z.ZodType> {
  kind: "adjustment" | "grant";
  decision: Decision;
  summary: string;
  description?: string;
  params: ReturnType<typeof requestIdParams>;
  /** The request as it stands after the decision (its status is the audit entry's outcome). */
  response: { description: string; schema: R };
  problems: readonly number[];
  /** What the audit entry names besides the request (e.g. the adjustment's member). */
  subject: (id: string) => Promise<AuditSubject>;
  decide: (request: {
    id: string;
    principal: Principal;
    now: Date;
  }) => Promise<z.input<R> & { status: string }>;
}

export function decisionRoute<R extends z.ZodType>(
  deps: Pick<HttpApiDeps, "audit">,
  spec: DecisionRouteSpec<R>,
): Route {
  const { kind, decision } = spec;
  return defineRoute({
    method: "POST",
    path: `/${kind}s/{id}/${decision}`,
    operationId: `${decision}${kind === "grant" ? "Grant" : "Adjustment"}`,
    summary: spec.summary,
    ...(spec.description !== undefined && { description: spec.description }),
    access: "marketer",
    params: spec.params,
    response: { status: 200, ...spec.response },
    problems: spec.problems,
    handle: async (input) => {
      const { params, principal, now } = input;
      const entry = auditEntry(input, `${kind}.${decision}`, await spec.subject(params.id));
      return audited(
        deps,
        entry,
        () => spec.decide({ id: params.id, principal, now }),
        (view) => view.status,
      );
    },
  });
}
