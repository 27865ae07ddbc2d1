import type { AuditAction } from "../adapters/dynamo/audit-store";
import { approveAdjustment, getAdjustment, rejectAdjustment, requestView } from "./adjustment-requests";
import {
  adjustmentIdParams,
  adjustmentRequestViewSchema,
  pendingAdjustmentsSchema,
} from "./adjustment-schemas";
import { type AuditContext, auditEntry, audited } from "./audit-trail";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";

// Adjustments over the program's approval threshold wait here for a second marketer (see
// adjustment-requests.ts). Approvals and rejections are written to the audit trail before they act.

const PENDING_LIMIT = 100;

interface DecisionInput extends AuditContext {
  params: { id: string };
}

export function adjustmentRoutes(deps: HttpApiDeps): Route[] {
  /** A decision on a request, audited with the request's member (when the request exists) before it acts. */
  const decide = async (input: DecisionInput, action: AuditAction, run: typeof approveAdjustment) => {
    const { params, principal, now } = input;
    const request = await deps.adjustments.get(params.id);
    const subject = { adjustmentId: params.id, ...(request && { memberId: request.memberId }) };
    const work = () => run(deps, { adjustmentId: params.id, principal, now });
    return audited(deps, auditEntry(input, action, subject), work, (view) => view.status);
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
    defineRoute({
      method: "POST",
      path: "/adjustments/{id}/approve",
      operationId: "approveAdjustment",
      summary:
        "Approve and apply an adjustment over the approval threshold; the requester cannot approve their own",
      description:
        "Applies the adjustment to the member exactly once: approving again (by anyone but the requester) answers the applied adjustment. " +
        "The approval is written to the audit trail.",
      access: "marketer",
      params: adjustmentIdParams,
      response: { status: 200, description: "The applied adjustment", schema: adjustmentRequestViewSchema },
      problems: [404, 409, 503],
      handle: (input) => decide(input, "adjustment.approve", approveAdjustment),
    }),
    defineRoute({
      method: "POST",
      path: "/adjustments/{id}/reject",
      operationId: "rejectAdjustment",
      summary:
        "Turn down a pending adjustment (any marketer, the requester too); its points no longer count against the daily limit",
      access: "marketer",
      params: adjustmentIdParams,
      response: { status: 200, description: "The rejected adjustment", schema: adjustmentRequestViewSchema },
      problems: [404, 409],
      handle: (input) => decide(input, "adjustment.reject", rejectAdjustment),
    }),
  ];
}
