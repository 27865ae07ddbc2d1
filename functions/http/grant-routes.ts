import { idempotencyHeaders } from "./api-schemas";
import { auditEntry, audited } from "./audit-trail";
import { type Decision, decisionRoute } from "./decision-route";
import { decideGrant, getGrant, grantIdOf, grantView, previewGrant, requestGrant } from "./grant-requests";
import {
  GRANT_BODY_BYTES,
  GRANT_RULES,
  grantIdParams,
  grantPreviewSchema,
  grantRequestSchema,
  grantViewSchema,
} from "./grant-schemas";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, Reply, type Route } from "./route";

// Bulk grants (grant-requests.ts). Requests and decisions are written to the audit trail before they act;
// the run that credits the members is `npm run grant -- <id>` locally (functions/grants/run-grant.ts).

const APPROVAL_RULE =
  "A grant whose total points (points × members in the preview) are over the program's " +
  "controls.adjustments.approvalThreshold waits for a second marketer (POST /grants/{id}/approve).";

export function grantRoutes(deps: HttpApiDeps): Route[] {
  const decision = (decision: Decision) =>
    decisionRoute(deps, {
      kind: "grant",
      decision,
      summary:
        decision === "approve"
          ? "Approve a grant over the approval threshold; the requester cannot approve their own"
          : "Turn down a grant waiting for approval (any marketer, the requester too)",
      description:
        "The decision is written to the audit trail before it is made. Deciding again the same way answers the grant.",
      params: grantIdParams,
      response: { description: "The grant", schema: grantViewSchema },
      problems: [404, 409],
      subject: async (grantId) => ({ grantId }),
      decide: ({ id, principal, now }) => decideGrant(deps, { grantId: id, decision, principal, now }),
    });

  return [
    defineRoute({
      method: "POST",
      path: "/grants/preview",
      operationId: "previewGrant",
      summary:
        "How many members a grant would reach and what it adds to the points liability; writes nothing",
      description:
        "Counts the audience now: a segment, tier or stage reads every member's state (a parallel Scan); a list counts its ids that are members.",
      access: "marketer",
      body: grantRequestSchema,
      maxBodyBytes: GRANT_BODY_BYTES,
      response: { status: 200, description: "Count and liability", schema: grantPreviewSchema },
      rules: `${GRANT_RULES} ${APPROVAL_RULE}`,
      problems: [503],
      handle: ({ body, now }) => previewGrant(deps, body, now),
    }),
    defineRoute({
      method: "POST",
      path: "/grants",
      operationId: "requestGrant",
      summary:
        "Grant points with a reason to every member of a segment, tier, lifecycle stage or uploaded list",
      description:
        "Stores the grant with its preview; nothing is credited until it runs (each member once, with a ledger entry " +
        "`grant:<grant id>:<member id>`). A retry with the same Idempotency-Key answers the same grant.",
      access: "marketer",
      headers: idempotencyHeaders,
      body: grantRequestSchema,
      maxBodyBytes: GRANT_BODY_BYTES,
      response: {
        status: 202,
        description: "The grant: approved (ready to run) or pending a second marketer's approval",
        schema: grantViewSchema,
      },
      rules: `${GRANT_RULES} ${APPROVAL_RULE}`,
      problems: [422, 503],
      handle: async ({ headers, body, principal, ...context }) => {
        const idempotencyKey = headers["idempotency-key"];
        const entry = auditEntry({ ...context, principal }, "grant.request", {
          grantId: grantIdOf(principal.sub, idempotencyKey),
        });
        const view = await audited(
          deps,
          entry,
          () => requestGrant(deps, { request: body, idempotencyKey, principal, now: context.now }),
          (view) => view.status,
        );
        return new Reply(view, 202);
      },
    }),
    defineRoute({
      method: "GET",
      path: "/grants/{id}",
      operationId: "getGrant",
      summary: "One grant: its status, approval and progress (processed, granted, duplicates, failed)",
      access: "marketer",
      params: grantIdParams,
      response: { status: 200, description: "The grant", schema: grantViewSchema },
      problems: [404],
      handle: async ({ params }) => grantView(deps, await getGrant(deps, params.id)),
    }),
    decision("approve"),
    decision("reject"),
  ];
}
