import { pruneChallenges } from "../challenges/challenge-progress";
import { UnknownMember } from "../errors";
import { expirePoints } from "../ledger/expiry";
import { copyData } from "../plain-data";
import type { Program } from "../program/program-schema";
import { newRetentionState } from "../retention/retention-state";
import { nextReview, pruneQualifying } from "../tiers/qualifying";
import { applyDueReviews } from "../tiers/tier-review";
import { periodKey, toIsoInstant, utcDay } from "../time";
import { oldestOpenDay } from "../time-policy";
import type { MemberState, UseCaseResult } from "./member-state";
import { completeReferral, type RefereeLink } from "./referral";

/** A new member in the lowest tier. No ledger entries: enrolment alone earns nothing. */
export function enrolMember(
  memberId: string,
  enrolledAt: Date | string,
  program: Program,
  options: { channel?: string; referredBy?: RefereeLink } = {},
): UseCaseResult {
  const at = toIsoInstant(enrolledAt);
  const state: MemberState = {
    memberId,
    enrolledAt: at,
    ...(options.channel !== undefined && { enrolledVia: options.channel }),
    status: "active",
    points: { lots: [], pending: [], debt: 0 },
    qualifying: [],
    tier: { tierId: program.tiers[0]?.id ?? "", since: at, reviewOn: nextReview(program, utcDay(at)) },
    frequency: { punchCards: [], streaks: [], milestonesReached: [] },
    rewards: { unlocked: [], redeemed: [] },
    interactions: [],
    lifetime: { purchases: 0, spendMinor: 0, pointsEarned: 0, pointsRedeemed: 0, pointsExpired: 0 },
    categorySpend: [],
    retention: newRetentionState(utcDay(at)),
    unreportedConversions: [],
    ...(options.referredBy && { referral: { referredBy: options.referredBy } }),
  };
  return { state, entries: [], outbound: [] };
}

/** The member's state, or a new one when the program auto-enrols unknown members; otherwise UnknownMember. */
export function resolveMember(
  state: MemberState | undefined,
  memberId: string,
  program: Program,
  now: Date | string,
): MemberState {
  if (state) return state;
  if (program.membership.unknownMemberPolicy === "reject") throw new UnknownMember(memberId);
  return enrolMember(memberId, now, program).state;
}

/** Runs the tier reviews due by `now` (downgrade at most one tier per review, grace first). */
export function reviewTier(state: MemberState, program: Program, now: Date | string): UseCaseResult {
  const next = copyData(state);
  const outbound = applyDueReviews(next, program, now);
  return { state: next, entries: [], outbound };
}

/**
 * Brings a member up to `now`: releases due pending points, expires due lots, runs due tier reviews, prunes
 * counters no event can reach any more and completes a referral whose qualifying purchase has cleared. Every
 * use case does this, so state never grows with history.
 */
export function settleMember(state: MemberState, program: Program, now: Date | string): UseCaseResult {
  const expired = expirePoints(state, program, now);
  const reviewed = reviewTier(expired.state, program, now);
  const next = reviewed.state;
  pruneQualifying(next, program, utcDay(now));
  // Cap counters stay while their period can still receive events (late window), so backdated ones count.
  const oldest = oldestOpenDay(program, now);
  next.interactions = next.interactions.filter((c) => c.periodKey >= periodKey(c.period, oldest));
  pruneChallenges(next, oldest);
  // After the pending release: a referral completes once its qualifying purchase's points are spendable.
  const referral = completeReferral(next, program, now);
  return {
    state: referral.state,
    entries: [...expired.entries, ...referral.entries],
    outbound: [...expired.outbound, ...reviewed.outbound, ...referral.outbound],
  };
}
