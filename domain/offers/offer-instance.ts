// Offer instances: the offer one member received in one message, made real by a single-use code a till or web
// shop can check. The code is random (drawn outside the domain and passed in); what it gives, until when, and
// whether it may be used are decided here once, for the checkout's validation and the purchase alike.
import type { Reward } from "../program/frequency-schema";
import type { RetentionConfig } from "../retention/retention-config";
import type { TriggerFamily } from "../retention/trigger-family";
import { addDays, type IsoDay, utcDay } from "../time";
import type { ChosenOffer } from "./offer-choice";
import type { Offer } from "./offer-schema";

/** Digits and capitals without the look-alikes 0/O, 1/I/L: typed from a printout without guessing. */
export const OFFER_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** 31^10 ≈ 8 × 10^14 codes (49 bits): guessing one for a given member is hopeless within any rate limit. */
export const OFFER_CODE_LENGTH = 10;
const CODE_PATTERN = new RegExp(`^[${OFFER_CODE_ALPHABET}]{${OFFER_CODE_LENGTH}}$`);

/** What a person typed, as stored: upper case, without spaces or hyphens ("abcd-efgh-23" → "ABCDEFGH23"). */
export function normaliseOfferCode(typed: string): string {
  return typed.replace(/[\s-]/g, "").toUpperCase();
}

export function isOfferCode(code: string): boolean {
  return CODE_PATTERN.test(code);
}

/** An offer as a message carries it: what was chosen, and the code that makes it usable (absent in previews). */
export type OfferInMessage = ChosenOffer & { code?: string; validUntil?: IsoDay };

export interface OfferInstance {
  code: string;
  memberId: string;
  offerId: string;
  kind: Offer["kind"];
  value: number;
  /** The catalogue reward a reward offer unlocks (`value` copies). */
  rewardId?: string;
  /** The basket (before this offer) must reach this, in minor units; 0 = no minimum. */
  minSpendMinor: number;
  /** Trigger kind (the campaign row it is counted in), its family, and the message that carried it. */
  trigger: string;
  family: TriggerFamily;
  messageKey: string;
  issuedAt: string;
  /** Last day (UTC) the code may be used. */
  validUntil: IsoDay;
  /** Set once, by the purchase that used it; cleared if a full refund restores the code. */
  redemption?: { sourceKey: string; orderId: string; redeemedAt: string };
}

export interface IssueOffer {
  chosen: ChosenOffer;
  code: string;
  memberId: string;
  trigger: { kind: string; family: TriggerFamily; messageKey: string };
  now: Date;
  config: RetentionConfig;
}

export function issueOffer(input: IssueOffer): OfferInstance {
  if (!isOfferCode(input.code))
    throw new RangeError("an offer code must be 10 characters of the code alphabet");
  const { offer } = input.chosen;
  return {
    code: input.code,
    memberId: input.memberId,
    offerId: offer.id,
    kind: offer.kind,
    value: offer.value,
    ...(offer.rewardId !== undefined && { rewardId: offer.rewardId }),
    minSpendMinor: offer.minSpendMinor,
    trigger: input.trigger.kind,
    family: input.trigger.family,
    messageKey: input.trigger.messageKey,
    issuedAt: input.now.toISOString(),
    validUntil: addDays(utcDay(input.now), input.config.offers.validityDays - 1),
  };
}

/** Why a code does not apply. "not-found" also covers another member's code: a till learns nothing about it. */
export const OFFER_REJECTIONS = [
  "not-found",
  "already-redeemed",
  "not-yet-valid",
  "expired",
  "below-minimum-spend",
] as const;
export type OfferRejection = (typeof OFFER_REJECTIONS)[number];

/** What the code gives on this basket: money off (minor units), bonus points, or copies of a catalogue reward. */
export interface OfferBenefit {
  discountMinor: number;
  points: number;
  reward?: { rewardId: string; copies: number };
}

export type OfferCheck =
  | { valid: true; instance: OfferInstance; benefit: OfferBenefit }
  | { valid: false; reason: OfferRejection };

export interface OfferUse {
  memberId: string;
  /** When the purchase happened (or the checkout asks). */
  at: string;
  /** The basket before this offer's discount, minor units. */
  basketMinor: number;
  /** The purchase using it, when checking a purchase: a re-check of the same purchase still passes. */
  sourceKey?: string;
}

/** Whether `instance` (looked up by the normalised code in the member's own offers) may be used now. */
export function checkOffer(instance: OfferInstance | undefined, use: OfferUse): OfferCheck {
  if (!instance || instance.memberId !== use.memberId) return { valid: false, reason: "not-found" };
  if (instance.redemption && instance.redemption.sourceKey !== use.sourceKey)
    return { valid: false, reason: "already-redeemed" };
  if (Date.parse(use.at) < Date.parse(instance.issuedAt)) return { valid: false, reason: "not-yet-valid" };
  if (utcDay(use.at) > instance.validUntil) return { valid: false, reason: "expired" };
  if (use.basketMinor < instance.minSpendMinor) return { valid: false, reason: "below-minimum-spend" };
  return { valid: true, instance, benefit: offerBenefit(instance, use.basketMinor) };
}

/** Percent off rounds down (never more than promised); an amount off never exceeds the basket. */
export function offerBenefit(
  instance: Pick<OfferInstance, "kind" | "value" | "rewardId">,
  basketMinor: number,
): OfferBenefit {
  switch (instance.kind) {
    case "percent-off":
      return { discountMinor: Math.floor((basketMinor * instance.value) / 100), points: 0 };
    case "amount-off":
      return { discountMinor: Math.min(instance.value, basketMinor), points: 0 };
    case "bonus-points":
      return { discountMinor: 0, points: instance.value };
    case "reward":
      return {
        discountMinor: 0,
        points: 0,
        ...(instance.rewardId !== undefined && {
          reward: { rewardId: instance.rewardId, copies: instance.value },
        }),
      };
  }
}

/** The catalogue rewards' point costs (program.rewards): what a reward offer is worth. */
export type RewardCosts = readonly Pick<Reward, "rewardId" | "pointsCost">[];

/**
 * The points an offer's benefit is worth, for its cost to the retailer (× retention.offers.pointCostMinor): its
 * bonus points, or its reward copies at the reward's catalogue points cost; undefined for a reward not listed.
 */
export function benefitPoints(benefit: OfferBenefit, rewards: RewardCosts): number | undefined {
  if (!benefit.reward) return benefit.points;
  const { rewardId, copies } = benefit.reward;
  const reward = rewards.find((r) => r.rewardId === rewardId);
  return reward && benefit.points + reward.pointsCost * copies;
}

export type OfferStatus = "usable" | "redeemed" | "expired";

/** Where an instance stands at `now`: a redeemed code stays redeemed, an unused one expires after its last day. */
export function offerStatus(instance: OfferInstance, now: Date | string): OfferStatus {
  if (instance.redemption) return "redeemed";
  return utcDay(now) > instance.validUntil ? "expired" : "usable";
}
