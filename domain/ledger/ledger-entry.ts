import type { OfferOutcome, OfferRewardTakenBack, RestoredOffer } from "../offers/offer-redemption";
import type { IsoDay } from "../time";
import type { PartnerShare } from "./partner-shares";

export type LedgerKind =
  | "earn"
  | "bonus"
  | "reverse"
  | "redeem"
  | "expire"
  | "adjust"
  | "interaction"
  | "migration"
  | "merge"
  | "grant"
  | "referral";

/** Points one purchase line earned; kept on the earn entry so a later refund can reverse it in proportion. */
export interface EarnedLine {
  lineIndex: number;
  sku: string;
  category: string;
  quantity: number;
  /** Amount paid for the line after its share of the order discount, in minor units. */
  paidMinor: number;
  points: number;
  statusPoints: number;
  /** Counted towards qualifying spend (0 for lines excluded by a 0 multiplier). */
  qualifyingSpendMinor: number;
}

/** Where purchase points went: a pending lot (availableOn set) or straight to a spendable lot. */
export interface LotRef {
  expiresOn: IsoDay;
  availableOn?: IsoDay;
}

export interface PurchaseDetails {
  type: "purchase";
  orderId: string;
  channel: "pos" | "web" | "app";
  storeId?: string;
  /** The coalition partner the purchase was made with (its source `retail.partner.<id>.…`). */
  partnerId?: string;
  currency: string;
  totalMinor: number;
  lines: EarnedLine[];
  lot: LotRef;
  /**
   * Categories of lines the program does not declare (base points only; at most 5 named, sorted); absent when
   * every line's category is declared. The purchase consumer counts these purchases in a metric.
   */
  unknownCategories?: string[];
  /** Bonus entries written for this purchase; reversed too if the order is fully refunded. */
  bonuses: { entryId: string; ruleId: string; points: number }[];
  /** Offer codes the order carried: the ones it redeemed and the ones rejected, with the reason. */
  offers?: OfferOutcome;
}

/** What one refund reversed on one line (deltas of this refund, not running totals). */
export interface ReversedLine {
  lineIndex: number;
  sku: string;
  refundedQuantity: number;
  refundedMinor: number;
  points: number;
  statusPoints: number;
  qualifyingSpendMinor: number;
}

export interface RefundDetails {
  type: "refund";
  refundId: string;
  originalSourceKey: string;
  originalEntryId: string;
  lines: ReversedLine[];
  refundedMinor: number;
  fullyRefunded: boolean;
  bonusesReversed: { entryId: string; ruleId: string; points: number }[];
  fromPending: number;
  fromSpendable: number;
  /** allow-negative: points the balance went below zero by. */
  addedDebt: number;
  /** claw-back: points that could not be taken back because they were already spent. */
  shortfall: number;
  /** Offer codes of the order given back by this (full) refund, still valid (retention.offers). */
  offersRestored?: RestoredOffer[];
  /** Unused copies of rewards the order's reward offers unlocked, taken back by this (full) refund. */
  offerRewardsTakenBack?: OfferRewardTakenBack[];
}

export interface BonusDetails {
  type: "bonus";
  orderId: string;
  lot: LotRef;
}

export interface RedemptionDetails {
  type: "redemption";
  rewardId: string;
  /** True when a reward unlocked by a punch card or milestone was used (no points spent). */
  usedUnlocked: boolean;
  lotsUsed: { expiresOn: IsoDay; points: number; partner?: string }[];
  /** The partner funding the reward (`fundedBy`): it is paid its redeem price for the points spent. */
  partnerId?: string;
}

export interface ExpiryDetails {
  type: "expiry";
  expiresOn: IsoDay;
}

export interface AdjustmentDetails {
  type: "adjustment";
  actor: string;
  /** The second marketer who approved an adjustment over the approval threshold. */
  approvedBy?: string;
  expiresOn?: IsoDay;
}

export interface InteractionDetails {
  type: "interaction";
  interactionId: string;
  kind: string;
  /** Points the rule offers before caps; `points` on the entry is what the caps allowed. */
  offeredPoints: number;
  expiresOn: IsoDay;
  /** A survey's answers; the comment (bounded) lives here, in the member's history, and nowhere else. */
  survey?: { npsScore?: number; csatScore?: number; comment?: string };
}

/** Points carried over from the programme a retailer used before Patron (domain/migration). */
export interface MigrationDetails {
  type: "migration";
  importId: string;
  /** The lot's expiry; absent on the entry of a member who arrived with no points. */
  expiresOn?: IsoDay;
}

/** Points moved by merging a duplicate member into the one kept (domain/member/merge-members.ts). */
export interface MergeDetails {
  type: "merge";
  survivorId: string;
  absorbedId: string;
  actor: string;
}

/** A challenge completed (domain/challenges): once per member and challenge, on the event that completed it. */
export interface ChallengeDetails {
  type: "challenge";
  challengeId: string;
  /** Expiry of the points it gave (spendable at once); absent when it gave none. */
  expiresOn?: IsoDay;
  rewardId?: string;
  badgeId?: string;
}

/** A member's share of a bulk grant (domain/grants). */
export interface GrantDetails {
  type: "grant";
  grantId: string;
  actor: string;
  /** The second marketer who approved a grant over the approval threshold. */
  approvedBy?: string;
  expiresOn: IsoDay;
}

/** A referral reward (domain/member/referral.ts): the new member's, or the referrer's (0 points past the limit). */
export interface ReferralDetails {
  type: "referral";
  role: "referee" | "referrer";
  referrerId: string;
  refereeId: string;
  /** The referee's qualifying first purchase. */
  orderId: string;
  /** The catalogue reward unlocked, when the reward is one. */
  rewardId?: string;
  /** Expiry of the points credited. */
  expiresOn?: IsoDay;
  /** Referrer only: true when the period's limit was reached and nothing was given. */
  overLimit?: boolean;
}

export type LedgerDetails =
  | PurchaseDetails
  | RefundDetails
  | BonusDetails
  | RedemptionDetails
  | ExpiryDetails
  | AdjustmentDetails
  | InteractionDetails
  | MigrationDetails
  | MergeDetails
  | ChallengeDetails
  | GrantDetails
  | ReferralDetails;

/**
 * One append-only ledger line. `entryId` is derived from the source business key only (never random), so a
 * replayed event produces the same id and the store can reject the duplicate.
 */
export interface LedgerEntry {
  entryId: string;
  memberId: string;
  kind: LedgerKind;
  /** Signed change of the spendable balance. */
  points: number;
  /** Signed change of pending (not yet spendable) points, when any. */
  pendingPoints?: number;
  /** Signed change of status (tier-qualifying) points. */
  statusPoints: number;
  /** Human-readable answer to "why did my points change?". */
  reason: string;
  ruleIds: string[];
  programVersion: number;
  /** Idempotency key of the business event (or job run) that caused this entry. */
  sourceKey: string;
  occurredAt: string;
  details?: LedgerDetails;
  /** Change of each partner's outstanding points this entry caused (domain/ledger/partner-shares.ts). */
  partners?: PartnerShare[];
}

interface PointsEventDetail {
  memberId: string;
  ledgerEntryId: string;
  /** Magnitude (> 0); the event type carries the direction. */
  points: number;
  /** Spendable balance after the entry; negative only under allow-negative refunds. */
  balance: number;
  reason: string;
  ruleIds: string[];
  programVersion: number;
  sourceKey: string;
  occurredAt: string;
  rewardId?: string;
  expiresOn?: IsoDay;
  /** The partner funding a redeemed reward. */
  partnerId?: string;
}

/** Points events: one ledger entry each; the direction is in the detail-type. */
export type PointsEventType =
  | "Points Earned"
  | "Points Reversed"
  | "Points Redeemed"
  | "Points Expired"
  | "Points Deducted";

export type OutboundEvent =
  | {
      type: PointsEventType;
      detail: PointsEventDetail;
    }
  | {
      type: "Tier Changed";
      detail: {
        memberId: string;
        fromTier: string;
        toTier: string;
        direction: "up" | "down";
        reason: string;
        ruleIds: string[];
        programVersion: number;
        sourceKey: string;
        occurredAt: string;
      };
    }
  | {
      type: "Service Recovery Needed";
      detail: {
        memberId: string;
        caseId: string;
        caseReason: "nps-detractor" | "csat-detractor" | "complaint";
        npsScore?: number;
        csatScore?: number;
        reason: string;
        programVersion: number;
        sourceKey: string;
        occurredAt: string;
      };
    }
  | {
      type: "Offer Redeemed";
      detail: {
        memberId: string;
        offerId: string;
        trigger: string;
        messageKey: string;
        orderId: string;
        discountMinor: number;
        points: number;
        reason: string;
        programVersion: number;
        sourceKey: string;
        occurredAt: string;
      };
    }
  | {
      type: "Members Merged";
      detail: {
        /** The member kept (the survivor). */
        memberId: string;
        absorbedId: string;
        points: number;
        pendingPoints: number;
        statusPoints: number;
        /** The survivor's spendable balance after the merge. */
        balance: number;
        reason: string;
        programVersion: number;
        sourceKey: string;
        occurredAt: string;
      };
    }
  | {
      type: "Reward Unlocked";
      detail: {
        memberId: string;
        rewardId: string;
        ruleId: string;
        reason: string;
        programVersion: number;
        sourceKey: string;
        occurredAt: string;
      };
    }
  | {
      type: "Challenge Completed";
      detail: {
        memberId: string;
        challengeId: string;
        ledgerEntryId: string;
        points: number;
        rewardId?: string;
        badgeId?: string;
        reason: string;
        programVersion: number;
        sourceKey: string;
        occurredAt: string;
      };
    }
  | {
      type: "Referral Completed";
      detail: {
        /** The referee (the new member). */
        memberId: string;
        referrerId: string;
        orderId: string;
        /** The referee's referral entry. */
        ledgerEntryId: string;
        reason: string;
        ruleIds: string[];
        programVersion: number;
        sourceKey: string;
        occurredAt: string;
      };
    };
