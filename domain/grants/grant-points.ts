import { InvalidFacts } from "../errors";
import type { LedgerEntry } from "../ledger/ledger-entry";
import { addSpendable, spendableBalance } from "../ledger/lots";
import { clipReason, pointsEvent } from "../ledger/outbound";
import { settleMember } from "../member/lifecycle";
import type { MemberState, UseCaseResult } from "../member/member-state";
import type { AdjustmentControls } from "../program/controls-schema";
import type { Program } from "../program/program-schema";
import type { LifecycleStage } from "../retention/retention-state";
import { addMonths, type IsoDay, toIsoInstant, utcDay } from "../time";

// A bulk grant: N points with a reason to every member of an audience, each member exactly once. The entry's
// id and business key derive from (grant id, member id) only, so a run retried after a crash cannot credit a
// member twice: the store refuses the second commit of the same key.

/** Who a grant goes to: members filed under an RFM segment, a tier or a lifecycle stage, or a list of ids. */
export type GrantAudience =
  | { kind: "segment"; segment: string }
  | { kind: "tier"; tierId: string }
  | { kind: "stage"; stage: LifecycleStage }
  /** The ids are stored beside the grant; every listed member that exists is eligible. */
  | { kind: "list"; size: number };

export interface Grant {
  grantId: string;
  /** Whole points credited to each member (> 0). */
  points: number;
  /** Why, in words the member may read. */
  reason: string;
  /** The day the granted points expire (first day no longer valid); absent: the program's expiry rule. */
  expiresOn?: IsoDay;
  audience: GrantAudience;
  /** Who asked for it (staff name; no personal data). */
  actor: string;
  /** The second marketer, for a grant over the approval threshold. */
  approvedBy?: string;
}

/** Business key (and ledger entry id) of one member's share of a grant: applied once, for ever. */
export const grantSourceKey = (grantId: string, memberId: string): string => `grant:${grantId}:${memberId}`;

/** The rule id on every entry of a grant, so the ledger says which grant moved the points. */
export const grantRuleId = (grantId: string): string => `grant-${grantId}`;

/** Whether a member, as stored, belongs to the grant's audience (a listed member always does). */
export function inAudience(audience: GrantAudience, state: MemberState): boolean {
  // A merged member's forwarding record: the person is counted through the member it was merged into.
  if (state.status === "merged") return false;
  switch (audience.kind) {
    case "segment":
      return state.scores?.segment === audience.segment;
    case "tier":
      return state.tier.tierId === audience.tierId;
    case "stage":
      return state.retention.stage === audience.stage;
    case "list":
      return true;
  }
}

/** The grant's checks that do not depend on a member; `today` is the UTC day the grant is made or run. */
export function grantProblems(
  grant: Pick<Grant, "points" | "reason" | "expiresOn">,
  today: IsoDay,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!Number.isInteger(grant.points) || grant.points <= 0)
    problems.push({ field: "points", message: "must be a whole number of points above 0" });
  if (grant.reason.trim() === "")
    problems.push({ field: "reason", message: "must say why the points are granted" });
  if (grant.expiresOn !== undefined && grant.expiresOn <= today)
    problems.push({ field: "expiresOn", message: `must be after ${today}, the day the points are granted` });
  return problems;
}

export type GrantDecision =
  | { kind: "grant"; result: UseCaseResult }
  /** Not (or no longer) in the audience when the grant reached them: nothing is written. */
  | { kind: "not-eligible" };

/**
 * One member's share of a grant: eligibility is judged on the member as stored (what the preview counted),
 * then the member is settled to `now` and credited one lot.
 */
export function grantPoints(
  state: MemberState,
  program: Program,
  grant: Grant,
  now: Date | string,
): GrantDecision {
  const at = toIsoInstant(now);
  const problem = grantProblems(grant, utcDay(at))[0];
  if (problem) throw new InvalidFacts(problem.field, problem.message);
  if (!inAudience(grant.audience, state)) return { kind: "not-eligible" };
  const settled = settleMember(state, program, at);
  const s = settled.state;
  const expiresOn = grant.expiresOn ?? addMonths(utcDay(at), program.expiry.validityMonths);
  addSpendable(s.points, expiresOn, grant.points);
  const key = grantSourceKey(grant.grantId, s.memberId);
  const entry: LedgerEntry = {
    entryId: key,
    memberId: s.memberId,
    kind: "grant",
    points: grant.points,
    statusPoints: 0,
    reason: clipReason(
      `Grant by ${grant.actor}${grant.approvedBy ? ` (approved by ${grant.approvedBy})` : ""}: ${grant.reason}`,
    ),
    ruleIds: [grantRuleId(grant.grantId)],
    programVersion: program.version,
    sourceKey: key,
    occurredAt: at,
    details: {
      type: "grant",
      grantId: grant.grantId,
      actor: grant.actor,
      ...(grant.approvedBy && { approvedBy: grant.approvedBy }),
      expiresOn,
    },
  };
  return {
    kind: "grant",
    result: {
      state: s,
      entries: [...settled.entries, entry],
      outbound: [...settled.outbound, ...pointsEvent("Points Earned", entry, spendableBalance(s))],
    },
  };
}

/**
 * Whether a grant waits for a second marketer: the program's adjustment threshold
 * (`controls.adjustments.approvalThreshold`) is compared with the grant's TOTAL points (points × members),
 * since what one marketer may move alone is a liability, however thinly it is spread.
 */
export function grantNeedsApproval(
  totalPoints: number,
  controls: Pick<AdjustmentControls, "approvalThreshold">,
): boolean {
  return totalPoints > controls.approvalThreshold;
}

/** What a grant adds to the points liability: points, and their cost at the program's point cost. */
export function grantLiability(
  points: number,
  members: number,
  pointCostMinor: number,
): { points: number; costMinor: number } {
  const total = points * members;
  return { points: total, costMinor: Math.round(total * pointCostMinor) };
}
