import { approveAdjustment, getAdjustment, rejectAdjustment, requestView } from "./adjustment-requests";
import {
  adjustmentIdParams,
  adjustmentRequestViewSchema,
  pendingAdjustmentsSchema,
} from "./adjustment-schemas";
import { type Decision, decisionRoute } from "./decision-route";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";

// Adjustments over the program's approval threshold wait here for a second marketer (see
// adjustment-requests.ts). Approvals and rejections are written to the audit trail before they act.

const PENDING_LIMIT = 100;

export function adjustmentRoutes(deps: HttpApiDeps): Route[] {
  /** A decision on a request, audited with the request's member (when the request exists) before it acts. */
  const decision = (
    decision: Decision,
    docs: { summary: string; description?: string; answer: string; problems: readonly number[] },
  ) => {
    const run = decision === "approve" ? approveAdjustment : rejectAdjustment;
    return decisionRoute(deps, {
      kind: "adjustment",
      decision,
      ...docs,
      params: adjustmentIdParams,
      response: { description: docs.answer, schema: adjustmentRequestViewSchema },
      subject: async (adjustmentId) => {
        const request = await deps.adjustments.get(adjustmentId);
        return { adjustmentId, ...(request && { memberId: request.memberId }) };
      },
      decide: ({ id, principal, now }) => run(deps, { adjustmentId: id, principal, now }),
    });
  };

  return [
    defineRoute({
      method: "GET",
      path: "/adjustments",
      operationId: "listPendingAdjustments",
      summary: "Adjustments waiting for a second marketer's approval, oldest first",
      access: "marketer",
      response: { status: 200, description: "Pending adjustments", schema: pendingAdjustmentsSchema },
      handle: async () => ({
        adjustments: (await deps.adjustments.listPending(PENDING_LIMIT)).map(requestView),
      }),
    }),
    defineRoute({
      method: "GET",
      path: "/adjustments/{id}",
      operationId: "getAdjustment",
      summary: "One adjustment request: its status, requester and approver",
      access: "marketer",
      params: adjustmentIdParams,
      response: { status: 200, description: "The adjustment", schema: adjustmentRequestViewSchema },
      problems: [404],
      handle: async ({ params }) => requestView(await getAdjustment(deps, params.id)),
    }),
    decision("approve", {
      summary:
        "Approve and apply an adjustment over the approval threshold; the requester cannot approve their own",
      description:
        "Applies the adjustment to the member exactly once: approving again (by anyone but the requester) answers the applied adjustment. " +
        "The approval is written to the audit trail.",
      answer: "The applied adjustment",
      problems: [404, 409, 503],
    }),
    decision("reject", {
      summary:
        "Turn down a pending adjustment (any marketer, the requester too); its points no longer count against the daily limit",
      answer: "The rejected adjustment",
      problems: [404, 409],
    }),
  ];
}
