import { unlockReward } from "../frequency/frequency-rewards";
import type { LedgerEntry, OutboundEvent, ReferralDetails } from "../ledger/ledger-entry";
import { addSpendable, spendableBalance } from "../ledger/lots";
import { clipReason, pointsEvent } from "../ledger/outbound";
import { copyData } from "../plain-data";
import type { Program } from "../program/program-schema";
import type { ReferralReward, Referrals } from "../program/referral-schema";
import { addMonths, dayStart, type IsoDay, monthOf, toIsoInstant, utcDay } from "../time";
import type { MemberState, UseCaseResult } from "./member-state";

// Referrals. A new member who enrolled with another member's code is linked to them (enrolment). Their first
// qualifying purchase (at least `minSpendMinor`) is remembered; a refund that takes it below that (or refunds
// it whole) before its pending period ends forgets it, and a later purchase may qualify instead. When the
// remembered purchase's pending period ends, settling the member completes the referral: the new member's
// reward in their own commit, and a "Referral Completed" event whose consumer rewards the referrer in theirs
// (applyReferrerReward), at most `limit.rewards` per period. Everything here is bounded: one link per member
// and one counter for the current period.

/** The link of a member who enrolled with a referral code. */
export interface RefereeLink {
  referrerId: string;
  linkedAt: string;
  status: "awaiting-purchase" | "qualifying" | "completed";
  /** The qualifying purchase while `qualifying`, kept once completed. */
  purchase?: { sourceKey: string; orderId: string; availableOn: IsoDay; netMinor: number };
}

/** How many of a member's latest payment-method hashes are kept (for the self-referral check). */
export const MAX_PAYMENT_KEYS = 3;

export interface ReferralState {
  referredBy?: RefereeLink;
  /** Hashes of the payment methods of the member's latest purchases, newest first (at most MAX_PAYMENT_KEYS). */
  paymentKeys?: string[];
  /** As a referrer: referrals completed ever, and rewards given in the limit's current period. */
  asReferrer?: { completed: number; periodKey: string; rewarded: number };
}

/** Why a referral code at enrolment links nothing. */
export type ReferralDecline = "referrals-off" | "unknown-code" | "self-referral" | "not-new";

/**
 * Whether an enrolling member is linked to the owner of the code they gave. The adapter supplies the facts it
 * looked up: the code's owner (undefined when no such code), whether the two share an e-mail address, and
 * whether the enrolling member is new (no state yet: not auto-enrolled by an earlier purchase).
 */
export function decideReferralLink(input: {
  program: Program;
  refereeId: string;
  referrerId: string | undefined;
  sameEmail: boolean;
  refereeIsNew: boolean;
  at: Date | string;
}): { link: RefereeLink } | { declined: ReferralDecline } {
  if (!input.program.referrals) return { declined: "referrals-off" };
  if (input.referrerId === undefined) return { declined: "unknown-code" };
  if (input.referrerId === input.refereeId || input.sameEmail) return { declined: "self-referral" };
  if (!input.refereeIsNew) return { declined: "not-new" };
  return {
    link: { referrerId: input.referrerId, linkedAt: toIsoInstant(input.at), status: "awaiting-purchase" },
  };
}

/**
 * A purchase of a linked member: the first one that totals at least the minimum becomes the qualifying
 * purchase. `availableOn` is the day its points become spendable (the purchase day when there is no pending
 * period). A purchase paid with the referrer's payment method never qualifies. Mutates `state`.
 */
export function recordReferralPurchase(
  state: MemberState,
  program: Program,
  purchase: { sourceKey: string; orderId: string; totalMinor: number; availableOn: IsoDay },
  options: { sharesReferrerPayment?: boolean } = {},
): void {
  const link = state.referral?.referredBy;
  const config = program.referrals;
  if (link?.status !== "awaiting-purchase" || !config || options.sharesReferrerPayment) return;
  if (purchase.totalMinor < config.minSpendMinor) return;
  link.status = "qualifying";
  link.purchase = {
    sourceKey: purchase.sourceKey,
    orderId: purchase.orderId,
    availableOn: purchase.availableOn,
    netMinor: purchase.totalMinor,
  };
}

/** Remembers the payment method of a purchase (its hash), while the program has referrals. Mutates `state`. */
export function recordPaymentKey(state: MemberState, program: Program, paymentKey: string | undefined): void {
  if (!program.referrals || paymentKey === undefined) return;
  const keys = [paymentKey, ...(state.referral?.paymentKeys ?? []).filter((k) => k !== paymentKey)];
  state.referral = { ...state.referral, paymentKeys: keys.slice(0, MAX_PAYMENT_KEYS) };
}

/** Whether a linked member's purchase must be checked against the referrer's payment methods (one more read). */
export function awaitsQualifyingPurchase(state: MemberState | undefined): string | undefined {
  const link = state?.referral?.referredBy;
  return link?.status === "awaiting-purchase" ? link.referrerId : undefined;
}

/**
 * A refund of the qualifying purchase before it cleared: when the order is refunded whole, or what remains is
 * below the minimum, it no longer qualifies and the member awaits another purchase. Mutates `state`.
 */
export function recordReferralRefund(
  state: MemberState,
  program: Program,
  refund: { originalSourceKey: string; refundedMinor: number; fullyRefunded: boolean },
): void {
  const link = state.referral?.referredBy;
  if (link?.status !== "qualifying" || link.purchase?.sourceKey !== refund.originalSourceKey) return;
  const netMinor = link.purchase.netMinor - refund.refundedMinor;
  if (refund.fullyRefunded || netMinor < (program.referrals?.minSpendMinor ?? 0)) {
    link.status = "awaiting-purchase";
    delete link.purchase;
  } else link.purchase.netMinor = netMinor;
}

/** The day a pending referral completes, for the retention job's due day; undefined when none is pending. */
export function referralCheckDay(state: MemberState): IsoDay | undefined {
  const link = state.referral?.referredBy;
  return link?.status === "qualifying" ? link.purchase?.availableOn : undefined;
}

/**
 * The retention job's next check pulled to the day a pending referral completes, so a referee who makes no
 * other purchase is still settled (and both rewarded) that day.
 */
export function withReferralCheck(state: MemberState, nextCheck: IsoDay, today: IsoDay): IsoDay {
  const day = referralCheckDay(state);
  return day !== undefined && day > today && day < nextCheck ? day : nextCheck;
}

/** The referee's entry and the referrer's: ids from the referee alone, so each exists once for ever. */
export const referralSourceKey = (refereeId: string): string => `referral:${refereeId}`;
const entryId = (refereeId: string, role: ReferralDetails["role"]) => `referral:${refereeId}:${role}`;

/**
 * Completes the member's referral once its qualifying purchase has cleared (part of settling the member): the
 * referee's reward and the "Referral Completed" event. Nothing while the program has no referrals.
 */
export function completeReferral(state: MemberState, program: Program, now: Date | string): UseCaseResult {
  const link = state.referral?.referredBy;
  const config = program.referrals;
  const purchase = link?.purchase;
  if (!config || link?.status !== "qualifying" || !purchase || purchase.availableOn > utcDay(now))
    return { state, entries: [], outbound: [] };
  const next = copyData(state);
  (next.referral?.referredBy as RefereeLink).status = "completed";
  const memberId = next.memberId;
  const what = `Referral reward: you joined with member ${link.referrerId}'s code and order ${purchase.orderId} was kept`;
  const { entry, outbound } = grantReward(next, program, config.refereeReward, {
    entryId: entryId(memberId, "referee"),
    sourceKey: referralSourceKey(memberId),
    occurredAt: dayStart(purchase.availableOn),
    reason: what,
    details: {
      type: "referral",
      role: "referee",
      referrerId: link.referrerId,
      refereeId: memberId,
      orderId: purchase.orderId,
    },
    ruleId: config.ruleId,
  });
  const completed: OutboundEvent = {
    type: "Referral Completed",
    detail: {
      memberId,
      referrerId: link.referrerId,
      orderId: purchase.orderId,
      ledgerEntryId: entry.entryId,
      reason: clipReason(
        `Member ${memberId}, referred by ${link.referrerId}, kept order ${purchase.orderId}`,
      ),
      ruleIds: [config.ruleId],
      programVersion: program.version,
      sourceKey: entry.sourceKey,
      occurredAt: entry.occurredAt,
    },
  };
  return { state: next, entries: [entry], outbound: [...outbound, completed] };
}

/** What the referrer's consumer knows from "Referral Completed". */
export interface ReferralCompletedFacts {
  refereeId: string;
  orderId: string;
  /** When the referral completed (the referee's entry's occurredAt). */
  completedAt: string;
}

/**
 * The referrer's side of a completed referral: the reward, unless the limit's current period (by `now`, which
 * only moves forward, so one counter suffices) already gave `limit.rewards`; then a 0-point entry that says
 * why. The caller settles the member first and commits under the key `referralSourceKey(refereeId)`.
 */
export function applyReferrerReward(
  state: MemberState,
  program: Program,
  facts: ReferralCompletedFacts,
  now: Date | string,
): UseCaseResult {
  const config = program.referrals;
  const next = copyData(state);
  const period = limitPeriodKey(config?.limit.per ?? "month", utcDay(now));
  const counter = next.referral?.asReferrer;
  // A clock a little behind at a period's turn counts in the later period already open: never more.
  const current =
    counter && counter.periodKey >= period ? counter : { ...counter, periodKey: period, rewarded: 0 };
  const asReferrer = {
    completed: (counter?.completed ?? 0) + 1,
    periodKey: current.periodKey,
    rewarded: current.rewarded,
  };
  next.referral = { ...next.referral, asReferrer };
  const base = {
    entryId: entryId(facts.refereeId, "referrer"),
    sourceKey: referralSourceKey(facts.refereeId),
    occurredAt: toIsoInstant(facts.completedAt),
    details: {
      type: "referral",
      role: "referrer",
      referrerId: next.memberId,
      refereeId: facts.refereeId,
      orderId: facts.orderId,
    } as ReferralDetails,
  };
  const what = `Referral reward: member ${facts.refereeId} joined with your code and kept order ${facts.orderId}`;
  if (!config || asReferrer.rewarded >= config.limit.rewards) {
    const why = config
      ? `limit of ${config.limit.rewards} referral rewards per ${config.limit.per} reached`
      : "the program no longer rewards referrals";
    const entry: LedgerEntry = {
      ...base,
      memberId: next.memberId,
      kind: "referral",
      points: 0,
      statusPoints: 0,
      reason: clipReason(`${what}; no reward: ${why}`),
      ruleIds: config ? [config.ruleId] : [],
      programVersion: program.version,
      details: { ...base.details, overLimit: true },
    };
    return { state: next, entries: [entry], outbound: [] };
  }
  asReferrer.rewarded += 1;
  const { entry, outbound } = grantReward(next, program, config.referrerReward, {
    ...base,
    reason: what,
    ruleId: config.ruleId,
  });
  return { state: next, entries: [entry], outbound };
}

/** Key of the limit's period containing `day`: "2025-06", "2025-Q2" or "2025". */
export function limitPeriodKey(per: Referrals["limit"]["per"], day: IsoDay): string {
  if (per === "month") return monthOf(day);
  if (per === "year") return day.slice(0, 4);
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Credits points (spendable at once) or unlocks a catalogue reward, and the entry that says so. Mutates `state`. */
function grantReward(
  state: MemberState,
  program: Program,
  reward: ReferralReward,
  entry: {
    entryId: string;
    sourceKey: string;
    occurredAt: string;
    reason: string;
    details: ReferralDetails;
    ruleId: string;
  },
): { entry: LedgerEntry; outbound: OutboundEvent[] } {
  const base = {
    entryId: entry.entryId,
    memberId: state.memberId,
    kind: "referral" as const,
    statusPoints: 0,
    ruleIds: [entry.ruleId],
    programVersion: program.version,
    sourceKey: entry.sourceKey,
    occurredAt: entry.occurredAt,
  };
  if ("rewardId" in reward) {
    unlockReward(state, reward.rewardId);
    const reason = clipReason(`${entry.reason}: reward ${reward.rewardId} unlocked`);
    const unlocked: OutboundEvent = {
      type: "Reward Unlocked",
      detail: {
        memberId: state.memberId,
        rewardId: reward.rewardId,
        ruleId: entry.ruleId,
        reason,
        programVersion: program.version,
        sourceKey: entry.sourceKey,
        occurredAt: entry.occurredAt,
      },
    };
    return {
      entry: { ...base, points: 0, reason, details: { ...entry.details, rewardId: reward.rewardId } },
      outbound: [unlocked],
    };
  }
  const expiresOn = addMonths(utcDay(entry.occurredAt), program.expiry.validityMonths);
  addSpendable(state.points, expiresOn, reward.points);
  state.lifetime.pointsEarned += reward.points;
  const credited: LedgerEntry = {
    ...base,
    points: reward.points,
    reason: clipReason(`${entry.reason}: ${reward.points} points`),
    details: { ...entry.details, expiresOn },
  };
  return {
    entry: credited,
    outbound: pointsEvent("Points Earned", credited, spendableBalance(state), { expiresOn }),
  };
}
