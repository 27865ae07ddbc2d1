// Personalised offers (IDIC): the offer fits the member's value segment and favourite category, and its cost
// is sized to what the member is worth, so a big discount is not spent on a member worth little. Win-back
// steps escalate the budget. Deterministic: the same member facts always get the same offer.
import type { RetentionConfig } from "../retention/retention-config";
import type { TriggerFamily } from "../retention/trigger-family";
import { benefitPoints, offerBenefit, type RewardCosts } from "./offer-instance";
import type { Offer } from "./offer-schema";

export interface OfferContext {
  family: TriggerFamily;
  /** 1-based win-back step; ignored for other families. */
  winBackStep?: number;
  /** RFM segment name (e.g. "champions", "lost") or "unknown". */
  segment: string;
  favouriteCategory?: string;
  /** Predicted customer lifetime value from the value model, minor units. */
  predictedClvMinor?: number;
  averageOrderValueMinor?: number;
}

export interface ChosenOffer {
  offer: Offer;
  /** Expected cost to the retailer, minor units. */
  costMinor: number;
  /** The most this member's incentive may cost. */
  budgetMinor: number;
}

/**
 * The incentive budget: a share of predicted CLV (or of the average order value when no CLV is known), raised by
 * `escalationPercentPerStep` for every win-back step after the first, never above `capMinor`.
 */
export function incentiveBudget(context: OfferContext, config: RetentionConfig): number {
  const o = config.offers;
  const base =
    context.predictedClvMinor !== undefined
      ? (Math.max(0, context.predictedClvMinor) * o.clvSharePercent) / 100
      : (orderValue(context, config) * o.orderValueSharePercent) / 100;
  const step = context.family === "win-back" ? Math.max(1, context.winBackStep ?? 1) : 1;
  const escalated = base * (1 + (o.escalationPercentPerStep / 100) * (step - 1));
  return Math.floor(Math.min(o.capMinor, escalated));
}

/**
 * Expected cost of an offer: a percentage of this member's usual order, the fixed amount, or the points' cost (a
 * reward's at its catalogue points cost; a reward not in `rewards` costs Infinity, so it is never chosen).
 */
export function offerCost(
  offer: Offer,
  context: OfferContext,
  config: RetentionConfig,
  rewards: RewardCosts = [],
): number {
  switch (offer.kind) {
    case "percent-off":
      return Math.round((orderValue(context, config) * offer.value) / 100);
    case "amount-off":
      return offer.value;
    case "bonus-points":
    case "reward": {
      const points = benefitPoints(offerBenefit(offer, 0), rewards);
      return points === undefined
        ? Number.POSITIVE_INFINITY
        : Math.round(points * config.offers.pointCostMinor);
    }
  }
}

/**
 * The offer for this member and trigger, or none when nothing in the catalogue fits the budget. Among eligible
 * offers the most tailored wins (favourite category, then segment), then the most valuable within budget, then
 * the id. `rewards` (program.rewards) prices reward offers.
 */
export function chooseOffer(
  context: OfferContext,
  config: RetentionConfig,
  rewards: RewardCosts = [],
): ChosenOffer | undefined {
  const budgetMinor = incentiveBudget(context, config);
  const gesture = recoveryGesture(context, config);
  if (gesture) return { offer: gesture, costMinor: offerCost(gesture, context, config), budgetMinor };
  const ranked = config.offers.catalogue
    .filter((offer) => eligible(offer, context))
    .map((offer) => ({
      offer,
      costMinor: offerCost(offer, context, config, rewards),
      tailoring: tailoring(offer),
    }))
    .filter((c) => c.costMinor <= budgetMinor)
    .sort(
      (a, b) =>
        b.tailoring - a.tailoring || b.costMinor - a.costMinor || a.offer.id.localeCompare(b.offer.id),
    );
  const best = ranked[0];
  return best ? { offer: best.offer, costMinor: best.costMinor, budgetMinor } : undefined;
}

/**
 * The service-recovery gesture the programme configured (retention.triggers.serviceRecovery.gestureOfferId):
 * every apology carries it, outside the value budget — a complainer whose problem is resolved comes back, so a
 * low-value detractor gets the gesture too. The schema checks that it exists and suits every member.
 */
function recoveryGesture(context: OfferContext, config: RetentionConfig): Offer | undefined {
  if (context.family !== "service-recovery") return undefined;
  const id = config.triggers.serviceRecovery.gestureOfferId;
  return id === undefined ? undefined : config.offers.catalogue.find((offer) => offer.id === id);
}

function eligible(offer: Offer, context: OfferContext): boolean {
  if (offer.triggers.length > 0 && !offer.triggers.includes(context.family)) return false;
  if (offer.segments.length > 0 && !offer.segments.includes(context.segment)) return false;
  if (offer.categories.length > 0) {
    if (context.favouriteCategory === undefined || !offer.categories.includes(context.favouriteCategory)) {
      return false;
    }
  }
  if (offer.minWinBackStep !== undefined) {
    return context.family === "win-back" && (context.winBackStep ?? 1) >= offer.minWinBackStep;
  }
  return true;
}

/** Tailoring: matching the favourite category counts more than matching the segment. */
function tailoring(offer: Offer): number {
  return (offer.categories.length > 0 ? 2 : 0) + (offer.segments.length > 0 ? 1 : 0);
}

function orderValue(context: OfferContext, config: RetentionConfig): number {
  const aov = context.averageOrderValueMinor;
  return aov !== undefined && aov > 0 ? aov : config.offers.defaultOrderValueMinor;
}
