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
}

export interface TriggerReport extends TriggerCounters {
  trigger: string;
  conversionRate: number | null;
  controlConversionRate: number | null;
  /** conversionRate − controlConversionRate, in percentage points. */
  liftPoints: number | null;
  /** (conversionRate − controlRate) / controlRate, e.g. 0.25 = 25% more conversions than without messages. */
  relativeLift: number | null;
  /** Conversions the messages caused: converted − sent × controlRate. */
  incrementalConversions: number | null;
}

export function triggerReport(trigger: string, counters: TriggerCounters): TriggerReport {
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
    relativeLift: both && controlRate > 0 ? round((rate - controlRate) / controlRate) : null,
    incrementalConversions:
      controlRate === null ? null : round(counters.converted - counters.sent * controlRate),
  };
}

/** One row per trigger, in trigger name order. */
export function campaignReport(counters: Readonly<Record<string, TriggerCounters>>): TriggerReport[] {
  return Object.keys(counters)
    .sort()
    .map((trigger) => triggerReport(trigger, counters[trigger] as TriggerCounters));
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round(numerator / denominator);
}

/** Six decimals: stable output for reports and tests, far below any meaningful difference. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
