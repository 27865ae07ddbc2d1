// Per-trigger campaign results against the holdout control group. Lift is the treated conversion rate minus the
// control rate (in percentage points) and relative to the control rate; rates with a zero denominator are null
// rather than 0 or NaN, so a report never claims a result it has no data for.

export interface TriggerCounters {
  /** Messages sent (treated group). */
  sent: number;
  /** Sent messages followed by a purchase within the conversion window. */
  converted: number;
  /** Control-group members whose message was withheld. */
  controlSize: number;
  controlConverted: number;
  /** What the converting purchases spent, treated and control (minor units); absent = 0. */
  convertedSpendMinor?: number;
  controlConvertedSpendMinor?: number;
  /** Offer codes of this trigger's messages used on a purchase (a full refund that gives one back uncounts it). */
  redeemed?: number;
  /** What the redeemed offers cost: discounts given plus bonus points and rewards' points costs at the point cost. */
  incentiveCostMinor?: number;
}

export const zeroCounters = (): Required<TriggerCounters> => ({
  sent: 0,
  converted: 0,
  controlSize: 0,
  controlConverted: 0,
  convertedSpendMinor: 0,
  controlConvertedSpendMinor: 0,
  redeemed: 0,
  incentiveCostMinor: 0,
});

export interface TriggerReport extends Required<TriggerCounters> {
  trigger: string;
  conversionRate: number | null;
  controlConversionRate: number | null;
  /** conversionRate − controlConversionRate, in percentage points. */
  liftPoints: number | null;
  /**
   * 95% confidence interval of liftPoints (percentage points), by Newcombe's hybrid score interval for a
   * difference of two proportions (his method 10, from the Wilson intervals of each rate); null with liftPoints.
   */
  liftInterval: { low: number; high: number } | null;
  /** (conversionRate − controlRate) / controlRate, e.g. 0.25 = 25% more conversions than without messages. */
  relativeLift: number | null;
  /** Conversions the messages caused: converted − sent × controlRate. */
  incrementalConversions: number | null;
  /** redeemed / sent. */
  redemptionRate: number | null;
  /** Revenue the messages caused: convertedSpend − sent × (control spend per control member), minor units. */
  incrementalRevenueMinor: number | null;
  /** incrementalRevenue × the gross margin share. */
  incrementalMarginMinor: number | null;
  /** incrementalMargin / incentiveCost: what each unit spent on incentives brought back (> 1 pays off). */
  marginPerIncentive: number | null;
}

export interface ReportOptions {
  /** Share of revenue kept as margin, percent (retention.offers.grossMarginPercent). */
  grossMarginPercent: number;
}

/** Without `options` (no margin known) the margin figures are null. */
export function triggerReport(
  trigger: string,
  given: TriggerCounters,
  options?: ReportOptions,
): TriggerReport {
  const counters = { ...zeroCounters(), ...given };
  for (const [field, value] of Object.entries(counters)) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`${trigger}.${field} must be a count, got ${value}`);
  }
  if (counters.converted > counters.sent) throw new RangeError(`${trigger}.converted exceeds sent`);
  if (counters.controlConverted > counters.controlSize) {
    throw new RangeError(`${trigger}.controlConverted exceeds controlSize`);
  }
  const rate = ratio(counters.converted, counters.sent);
  const controlRate = ratio(counters.controlConverted, counters.controlSize);
  const both = rate !== null && controlRate !== null;
  return {
    trigger,
    ...counters,
    conversionRate: rate,
    controlConversionRate: controlRate,
    liftPoints: both ? round((rate - controlRate) * 100) : null,
    liftInterval: both ? liftInterval(counters) : null,
    relativeLift: both && controlRate > 0 ? round((rate - controlRate) / controlRate) : null,
    incrementalConversions:
      controlRate === null ? null : round(counters.converted - counters.sent * controlRate),
    ...returnOnIncentive(counters, options),
  };
}

function returnOnIncentive(
  c: Required<TriggerCounters>,
  options: ReportOptions | undefined,
): Pick<
  TriggerReport,
  "redemptionRate" | "incrementalRevenueMinor" | "incrementalMarginMinor" | "marginPerIncentive"
> {
  const controlSpendPerMember = c.controlSize === 0 ? null : c.controlConvertedSpendMinor / c.controlSize;
  const revenue =
    controlSpendPerMember === null ? null : c.convertedSpendMinor - c.sent * controlSpendPerMember;
  const margin = revenue === null || !options ? null : (revenue * options.grossMarginPercent) / 100;
  return {
    redemptionRate: ratio(c.redeemed, c.sent),
    incrementalRevenueMinor: revenue === null ? null : Math.round(revenue),
    incrementalMarginMinor: margin === null ? null : Math.round(margin),
    marginPerIncentive:
      margin === null || c.incentiveCostMinor === 0 ? null : round(margin / c.incentiveCostMinor),
  };
}

/** One row per trigger, in trigger name order. */
export function campaignReport(
  counters: Readonly<Record<string, TriggerCounters>>,
  options?: ReportOptions,
): TriggerReport[] {
  return Object.keys(counters)
    .sort()
    .map((trigger) => triggerReport(trigger, counters[trigger] as TriggerCounters, options));
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** Wilson score interval of `successes` out of `trials` (trials > 0). */
function wilson(successes: number, trials: number): { low: number; high: number } {
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (Z95 / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval (Statistics in Medicine 17, 1998, method 10) for treated − control rate,
 * in percentage points. Chosen over the Wald interval because it stays sensible with the small control groups
 * and zero conversions a holdout produces, where Wald collapses to a single point or leaves [−100, 100].
 */
function liftInterval(c: TriggerCounters): { low: number; high: number } {
  const [p1, p2] = [c.converted / c.sent, c.controlConverted / c.controlSize];
  const [treated, control] = [wilson(c.converted, c.sent), wilson(c.controlConverted, c.controlSize)];
  const difference = p1 - p2;
  const low = difference - Math.hypot(p1 - treated.low, control.high - p2);
  const high = difference + Math.hypot(treated.high - p1, p2 - control.low);
  return { low: round(low * 100), high: round(high * 100) };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round(numerator / denominator);
}

/** Six decimals: stable output for reports and tests, far below any meaningful difference. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
