import type { AdjustmentControls } from "../program/controls-schema";

// The rules of the controls on marketers' manual adjustments (program `controls.adjustments`): above a
// threshold a second marketer must approve, and each marketer has a daily budget of points. Pure: the HTTP
// layer stores the requests and counters and maps each decision to a response.

/** Where a request stands. `applying`: needed no approval and is being applied; `approving`: claimed by an approver. */
export type AdjustmentStatus = "applying" | "applied" | "pending" | "approving" | "rejected";

export interface AdjustmentParty {
  /** Cognito `sub` of the marketer. */
  sub: string;
  /** Their user name, for people reading the trail. */
  name: string;
}

export interface AdjustmentRequestRecord {
  adjustmentId: string;
  memberId: string;
  points: number;
  reason: string;
  status: AdjustmentStatus;
  /** True when the request was over the threshold when made: it needs a second marketer. */
  needsApproval: boolean;
  requestedBy: AdjustmentParty;
  requestedAt: string;
  /** The approver once claimed (status approving or applied with needsApproval), or who rejected it. */
  decidedBy?: AdjustmentParty;
  decidedAt?: string;
}

/** Whether an adjustment of `points` waits for a second marketer. */
export function needsApproval(points: number, controls: AdjustmentControls): boolean {
  return Math.abs(points) > controls.approvalThreshold;
}

export type DailyLimitCheck =
  /** The request fits if the marketer has used at most `maxUsedBefore` today. */
  | { fits: true; charge: number; maxUsedBefore: number }
  /** One request alone is over the limit. */
  | { fits: false; charge: number };

/** What a request charges against its marketer's daily limit (absolute points). */
export function dailyLimitCheck(points: number, controls: AdjustmentControls): DailyLimitCheck {
  const charge = Math.abs(points);
  const maxUsedBefore = controls.dailyLimitPerMarketer - charge;
  return maxUsedBefore < 0 ? { fits: false, charge } : { fits: true, charge, maxUsedBefore };
}

export type ApprovalDecision =
  /** Pending: the approver claims it, then applies it. */
  | { kind: "claim" }
  /** Already claimed or applied: finish applying (exactly once, by the request's business key). */
  | { kind: "finish"; approver: AdjustmentParty }
  | { kind: "self-approval" }
  | { kind: "rejected"; by: AdjustmentParty | undefined }
  /** It never needed approval. */
  | { kind: "not-approvable" };

/** What an approval by `approver` does to `request`. The requester can never approve their own. */
export function decideApproval(
  request: AdjustmentRequestRecord,
  approver: AdjustmentParty,
): ApprovalDecision {
  if (request.requestedBy.sub === approver.sub) return { kind: "self-approval" };
  if (!request.needsApproval) return { kind: "not-approvable" };
  switch (request.status) {
    case "pending":
      return { kind: "claim" };
    case "rejected":
      return { kind: "rejected", by: request.decidedBy };
    default:
      return { kind: "finish", approver: request.decidedBy ?? approver };
  }
}

export type RejectionDecision =
  | { kind: "reject" }
  | { kind: "already-rejected" }
  | { kind: "already-approved"; by: AdjustmentParty | undefined }
  | { kind: "not-approvable" };

/** A pending request may be rejected by any marketer, its requester included (a withdrawal). */
export function decideRejection(request: AdjustmentRequestRecord): RejectionDecision {
  if (!request.needsApproval) return { kind: "not-approvable" };
  if (request.status === "pending") return { kind: "reject" };
  if (request.status === "rejected") return { kind: "already-rejected" };
  return { kind: "already-approved", by: request.decidedBy };
}
