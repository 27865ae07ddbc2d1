// Offer codes presented with a purchase: each is redeemed at most once, only by its member, within validity.
// A code that does not apply is recorded with its reason and the purchase still earns as usual.
import { utcDay } from "../time";
import {
  benefitPoints,
  checkOffer,
  isOfferCode,
  OFFER_REJECTIONS,
  type OfferBenefit,
  type OfferInstance,
  type RewardCosts,
} from "./offer-instance";

/** Besides why a code does not apply: not a code at all, or a second code of an offer already used on the order. */
export const REDEMPTION_REJECTIONS = [...OFFER_REJECTIONS, "malformed", "same-offer-on-order"] as const;
export type RedemptionRejection = (typeof REDEMPTION_REJECTIONS)[number];

/** A code as the purchase carried it (normalised), with the member's instance of that code if there is one. */
export interface PresentedCode {
  code: string;
  instance?: OfferInstance;
}

export interface RedeemedOffer {
  code: string;
  offerId: string;
  kind: OfferInstance["kind"];
  /** Trigger kind and message that carried the offer: the campaign it is attributed to. */
  trigger: string;
  messageKey: string;
  validUntil: string;
  discountMinor: number;
  points: number;
  /** The catalogue reward a reward offer unlocked. */
  reward?: OfferBenefit["reward"];
  /** What it cost the retailer: the discount plus the points (a reward's at its points cost) at the point cost. */
  costMinor: number;
}

export interface OfferOutcome {
  redeemed: RedeemedOffer[];
  rejected: { code: string; reason: RedemptionRejection }[];
}

export interface RedemptionContext {
  memberId: string;
  sourceKey: string;
  occurredAt: string;
  /** The basket before offers: the lines' sum (total + discountTotal). */
  basketMinor: number;
  pointCostMinor: number;
  /** program.rewards: a reward offer costs its reward's points (nothing once the reward left the catalogue). */
  rewards: RewardCosts;
}

export function decideOfferRedemptions(
  presented: readonly PresentedCode[],
  context: RedemptionContext,
): OfferOutcome {
  const outcome: OfferOutcome = { redeemed: [], rejected: [] };
  const seen = new Set<string>();
  for (const { code, instance } of presented) {
    // The same code twice on one order is used once.
    if (seen.has(code)) {
      outcome.rejected.push({ code, reason: "already-redeemed" });
      continue;
    }
    seen.add(code);
    if (!isOfferCode(code)) {
      outcome.rejected.push({ code: code.slice(0, 32), reason: "malformed" });
      continue;
    }
    const check = checkOffer(instance, {
      memberId: context.memberId,
      at: context.occurredAt,
      basketMinor: context.basketMinor,
      sourceKey: context.sourceKey,
    });
    if (!check.valid) {
      outcome.rejected.push({ code, reason: check.reason });
      continue;
    }
    // Two codes of one offer (sent in two messages) do not stack on one order.
    if (outcome.redeemed.some((r) => r.offerId === check.instance.offerId)) {
      outcome.rejected.push({ code, reason: "same-offer-on-order" });
      continue;
    }
    const { discountMinor, points, reward } = check.benefit;
    const worth = benefitPoints(check.benefit, context.rewards) ?? 0;
    outcome.redeemed.push({
      code,
      offerId: check.instance.offerId,
      kind: check.instance.kind,
      trigger: check.instance.trigger,
      messageKey: check.instance.messageKey,
      validUntil: check.instance.validUntil,
      discountMinor,
      points,
      ...(reward && { reward }),
      costMinor: discountMinor + Math.round(worth * context.pointCostMinor),
    });
  }
  return outcome;
}

export type RestoredOffer = Pick<RedeemedOffer, "code" | "trigger" | "costMinor">;

/** The copies of a reward offer's catalogue reward a full refund took back (unused ones only). */
export interface OfferRewardTakenBack {
  code: string;
  rewardId: string;
  copies: number;
}

/**
 * Codes a full refund gives back: those still valid when the refund is processed (processing time, not the
 * refund's own stamp, which a producer could backdate), when the programme says so. A reward offer's code only
 * when every copy it unlocked was taken back: a reward already used keeps its code spent.
 */
export function codesToRestore(
  redeemed: readonly RedeemedOffer[],
  options: {
    restoreOnFullRefund: boolean;
    fullyRefunded: boolean;
    at: Date | string;
    rewardsTakenBack?: readonly OfferRewardTakenBack[];
  },
): RestoredOffer[] {
  if (!options.restoreOnFullRefund || !options.fullyRefunded) return [];
  const day = utcDay(options.at);
  const takenBack = (r: RedeemedOffer) =>
    !r.reward ||
    (options.rewardsTakenBack ?? []).some((t) => t.code === r.code && t.copies === r.reward?.copies);
  return redeemed
    .filter((r) => r.validUntil >= day && takenBack(r))
    .map(({ code, trigger, costMinor }) => ({ code, trigger, costMinor }));
}

/** The rule id a bonus-points offer's ledger entry names. */
export const offerRuleId = (offerId: string): string => `offer-${offerId}`;
