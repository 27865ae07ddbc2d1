import type { AuditAction, AuditEntry } from "../adapters/dynamo/audit-store";
import { toHttpError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import type { Principal } from "./principal";
import type { Route } from "./route";

// Audit entries for the routes that read member PII, adjust points, or issue link codes and show or revoke
// identity links. They are written before the route acts (and before it returns any PII), so no error path can
// skip them; how the request ended is added after.

export interface AuditContext {
  route: Pick<Route, "method" | "path">;
  principal: Principal;
  requestId: string;
  caller: { sourceIp: string; userAgent: string };
  now: Date;
}

export interface AuditSubject {
  memberId?: string;
  adjustmentId?: string;
  grantId?: string;
}

export function auditEntry(
  context: AuditContext,
  action: AuditAction,
  subject: AuditSubject,
  suffix?: number,
): AuditEntry {
  return {
    entryId: suffix === undefined ? context.requestId : `${context.requestId}-${suffix}`,
    at: context.now.toISOString(),
    action,
    actor: { sub: context.principal.sub, name: context.principal.actor },
    route: `${context.route.method} ${context.route.path}`,
    ...(subject.memberId !== undefined && { memberId: subject.memberId }),
    ...(subject.adjustmentId !== undefined && { adjustmentId: subject.adjustmentId }),
    ...(subject.grantId !== undefined && { grantId: subject.grantId }),
    // API Gateway's view of the client; a user agent is bounded so a client cannot bloat the trail.
    sourceIp: context.caller.sourceIp,
    userAgent: context.caller.userAgent.slice(0, 256),
    requestId: context.requestId,
  };
}

/** The outcome recorded for a failed request: the problem's slug, or "error" for an unexpected failure. */
export const failureOutcome = (error: unknown): string => toHttpError(error)?.slug ?? "error";

/**
 * Writes the entry, runs `work`, then records its outcome (`outcomeOf` of the result, or the failure's slug).
 * Nothing runs unless the entry was written.
 */
export async function audited<T>(
  deps: Pick<HttpApiDeps, "audit">,
  entry: AuditEntry,
  work: () => Promise<T>,
  outcomeOf: (result: T) => string = () => "ok",
): Promise<T> {
  const store = deps.audit;
  await store.record([entry]);
  let outcome = "error";
  try {
    const result = await work();
    outcome = outcomeOf(result);
    return result;
  } catch (error) {
    outcome = failureOutcome(error);
    throw error;
  } finally {
    await store.setOutcome(entry, outcome);
  }
}

/** `work` for a route that reads or changes the member its `{id}` names, audited as `action` on that member. */
export function auditedByMember<T>(
  deps: Pick<HttpApiDeps, "audit">,
  request: { input: AuditContext & { params: { id: string } }; action: AuditAction },
  work: () => Promise<T>,
): Promise<T> {
  const { input, action } = request;
  return audited(deps, auditEntry(input, action, { memberId: input.params.id }), work);
}
