// A member's own purchase rhythm in O(1) state: distinct purchase days and an exponentially weighted mean of the
// gaps between them. Recent gaps weigh more, so a member who speeds up or slows down is followed within a few
// purchases, and the state never grows with history.
import { InvalidFacts } from "../errors";
import { addDays, daysBetween, type IsoDay } from "../time";
import type { RetentionConfig } from "./retention-config";
import type { PurchaseRhythm } from "./retention-state";

/** Records a purchase on `day`. Same-day and out-of-order (late) purchases never distort the gap average. */
export function recordPurchaseDay(
  rhythm: PurchaseRhythm,
  day: IsoDay,
  config: RetentionConfig,
): PurchaseRhythm {
  const { firstDay, lastDay, meanGapDays } = rhythm;
  if (lastDay === undefined || firstDay === undefined) {
    return { purchaseDays: 1, firstDay: day, lastDay: day };
  }
  if (day === lastDay || day === firstDay) return rhythm;
  if (day < lastDay) {
    // A late event: it is one more visit, but its gap to its neighbours is unknown, so the mean stays.
    return { ...rhythm, purchaseDays: rhythm.purchaseDays + 1, firstDay: day < firstDay ? day : firstDay };
  }
  const gap = daysBetween(lastDay, day);
  const alpha = config.rhythm.smoothing;
  const mean = meanGapDays === undefined ? gap : alpha * gap + (1 - alpha) * meanGapDays;
  // Two decimals keep the stored JSON short and the arithmetic reproducible.
  return {
    purchaseDays: rhythm.purchaseDays + 1,
    firstDay,
    lastDay: day,
    meanGapDays: Math.round(mean * 100) / 100,
  };
}

export interface ExpectedPurchase {
  /** Day the next purchase is expected (from the last purchase, or enrolment when there is none). */
  day: IsoDay;
  /** Expected gap in days after the probability-alive adjustment and clamping. */
  gapDays: number;
  source: "own-rhythm" | "program-default";
}

/**
 * Expected next purchase. Members with fewer than `minPurchaseDays` distinct purchase days use the program's
 * default gap. P(alive) from the value model (0–1) scales the gap linearly between `minFactor` (P = 0: likely
 * gone, flag sooner) and `maxFactor` (P = 1: certainly still a customer, allow more time); without it the
 * factor is 1.
 */
export function expectedNextPurchase(
  rhythm: PurchaseRhythm,
  enrolledOn: IsoDay,
  config: RetentionConfig,
  probabilityAlive?: number,
): ExpectedPurchase {
  const { defaultGapDays, minPurchaseDays, minGapDays, maxGapDays } = config.rhythm;
  const own = rhythm.purchaseDays >= minPurchaseDays && rhythm.meanGapDays !== undefined;
  const base = own ? (rhythm.meanGapDays as number) : defaultGapDays;
  const factor = probabilityAlive === undefined ? 1 : aliveFactor(probabilityAlive, config);
  const gapDays = Math.min(maxGapDays, Math.max(minGapDays, Math.round(base * factor)));
  return {
    day: addDays(rhythm.lastDay ?? enrolledOn, gapDays),
    gapDays,
    source: own ? "own-rhythm" : "program-default",
  };
}

function aliveFactor(probabilityAlive: number, config: RetentionConfig): number {
  if (!(probabilityAlive >= 0 && probabilityAlive <= 1)) {
    throw new InvalidFacts("probabilityAlive", `must be between 0 and 1, got ${probabilityAlive}`);
  }
  const { minFactor, maxFactor } = config.rhythm.probabilityAlive;
  return minFactor + (maxFactor - minFactor) * probabilityAlive;
}
