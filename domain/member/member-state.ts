import type { ChallengeState } from "../challenges/challenge-state";
import type { LedgerEntry, OutboundEvent } from "../ledger/ledger-entry";
import type { Conversion } from "../retention/lifecycle";
import type { RetentionState } from "../retention/retention-state";
import type { IsoDay, IsoMonth, Period } from "../time";
import type { ActivityMonths } from "./activity-months";
import type { ReferralState } from "./referral";
import type { SatisfactionState } from "./satisfaction";

/** Spendable points that expire on the same day, merged into one lot per issuer (the retailer or one partner). */
export interface PointsLot {
  /** First day (UTC) these points are no longer valid. */
  expiresOn: IsoDay;
  points: number;
  /** The partner that issued them (domain/ledger/partner-shares.ts); absent for the retailer's own points. */
  partner?: string;
}

/** Points inside the return window, merged by release day, expiry day and issuer. */
export interface PendingLot {
  /** Day (UTC, from 00:00) the points become spendable. */
  availableOn: IsoDay;
  expiresOn: IsoDay;
  points: number;
  partner?: string;
}

export interface QualifyingBucket {
  month: IsoMonth;
  statusPoints: number;
  spendMinor: number;
}

export interface InteractionCounter {
  kind: string;
  period: Period;
  periodKey: string;
  count: number;
  points: number;
}

/**
 * Everything the rules need about one member, as ONE JSON object (one DynamoDB item). It stays bounded whatever
 * the history length: lots are merged per day, qualifying buckets are monthly and pruned to the window,
 * interaction counters keep the periods the late window reaches (domain/time-policy.ts), streaks keep at most
 * k visit days, and reward counts are per catalogue reward. No profile PII lives here, except the birthday's
 * month-day (see RetentionState.birthday).
 */
export interface MemberState {
  memberId: string;
  enrolledAt: string;
  /** Enrolment channel from Member Enrolled (acquisition KPIs); absent when a purchase auto-enrolled them. */
  enrolledVia?: string;
  /** "merged": absorbed into `mergedInto` (merge-members.ts); its events go there, it holds nothing. */
  status: "active" | "merged";
  mergedInto?: string;
  /** Members merged into this one (at most MAX_ABSORBED): a refund of their orders finds the purchase there. */
  absorbed?: string[];
  points: {
    lots: PointsLot[];
    pending: PendingLot[];
    /** Points owed after an allow-negative reversal; repaid first from points that become spendable. */
    debt: number;
  };
  qualifying: QualifyingBucket[];
  tier: {
    tierId: string;
    since: string;
    /** Day the tier is next reviewed; it is kept at least until then. */
    reviewOn: IsoDay;
    /** Set after a missed review: the member keeps the tier until this day to catch up. */
    graceUntil?: IsoDay;
  };
  frequency: {
    punchCards: { ruleId: string; punches: number }[];
    streaks: { ruleId: string; visitDays: IsoDay[] }[];
    milestonesReached: string[];
  };
  rewards: {
    /** Unlocked, not yet used rewards, counted per reward. */
    unlocked: { rewardId: string; count: number }[];
    /** Redemptions per reward, for per-member limits. */
    redeemed: { rewardId: string; count: number }[];
  };
  interactions: InteractionCounter[];
  lifetime: {
    purchases: number;
    spendMinor: number;
    pointsEarned: number;
    pointsRedeemed: number;
    pointsExpired: number;
    firstPurchaseAt?: string;
    lastPurchaseAt?: string;
  };
  /** Months with a purchase over the last 24 (for the nightly KPIs); absent before the first purchase. */
  activity?: ActivityMonths;
  /** Lifetime spend per category (bounded by the category list); drives the favourite category. */
  categorySpend: { category: string; spendMinor: number }[];
  /** The nightly value model's view of the member (functions/analytics); absent until first scored. */
  scores?: MemberScores;
  /** Lifecycle, rhythm, triggers handled and due day (domain/retention). */
  retention: RetentionState;
  /** Conversions since the daily job last counted them (bounded like the pending triggers they came from). */
  unreportedConversions: Conversion[];
  /** Latest survey scores and service case (domain/member/satisfaction.ts); absent until the first of them. */
  satisfaction?: SatisfactionState;
  /** Joined challenges, completed ids and badges (domain/challenges); absent until the first of them. */
  challenges?: ChallengeState;
  /** Who referred the member and how far it got, and their own referrer rewards this period (referral.ts). */
  referral?: ReferralState;
}

/**
 * Written only by the nightly analytics job, and only when a figure moved by more than its threshold, so the
 * values may be up to a few days old: `scoredOn` says when they were computed.
 */
export interface MemberScores {
  /** RFM segment name from the program's segment map (e.g. "champions", "at risk"). */
  segment: string;
  /** Quintile scores 1–5 within the member base, 5 best. */
  recency: number;
  frequency: number;
  monetary: number;
  /** BG/NBD probability that the member is still a customer, 0–1. */
  probabilityAlive: number;
  /** Gamma-Gamma expected value of the member's next order, minor units. */
  expectedOrderValueMinor: number;
  /** Discounted expected spend over the model horizon, minor units. */
  clvMinor: number;
  scoredOn: IsoDay;
  /** Scoring method and fit day, e.g. "bgnbd-gg.v1.h52w.d0.1.m1@2025-03-01". */
  modelVersion: string;
}

export interface UseCaseResult {
  state: MemberState;
  entries: LedgerEntry[];
  outbound: OutboundEvent[];
}

/** `now` for a use case; ISO strings must carry an offset. */
export interface Clock {
  now: Date | string;
}
