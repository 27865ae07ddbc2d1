import { parseDayNumber } from "../../domain/analytics/day-number";
import type { MemberScores } from "../../domain/member/member-state";
import { num, record, str } from "./loose-values";

// What the value models need from one member, read from the STATE item's lifetime counters and (when the
// retention feature has recorded it) the purchase rhythm, and turned into BG/NBD's (x, t_x, T) in weeks.
//
// Approximations, because the job reads one bounded item per member and never the ledger:
// - x (repeat purchase DAYS): `retention.rhythm.purchaseDays − 1` when the rhythm is recorded (distinct UTC
//   days, as the model wants); otherwise `lifetime.purchases − 1`, which counts two orders on one day as two
//   visits. Either way x is capped at the days between the first and last purchase.
// - m_x (mean repeat order value, Gamma-Gamma): lifetime spend / lifetime purchases — the mean of ALL orders,
//   the first included, net of refunds. Stable for members with several orders; for x = 1 it is the mean of
//   two orders instead of the second alone.
// - Monetary (RFM): lifetime spend net of refunds.

export const DAYS_PER_WEEK = 7;

/** The analytics-relevant fields of a STATE item, as projected by the scan. */
export interface MemberInputs {
  purchases: number;
  spendMinor: number;
  firstPurchaseAt?: string;
  lastPurchaseAt?: string;
  /** From `state.retention.rhythm`, when present. */
  purchaseDays?: number;
  firstDay?: string;
  lastDay?: string;
}

export interface SummaryRow {
  x: number;
  tx: number;
  T: number;
  meanRepeatValue: number;
  totalValue: number;
}

/** The inputs from an unmarshalled `state` map; missing or malformed fields read as "no purchases". */
export function memberInputs(state: unknown): MemberInputs {
  const lifetime = record(record(state)?.lifetime);
  const rhythm = record(record(record(state)?.retention)?.rhythm);
  const inputs: MemberInputs = { purchases: num(lifetime?.purchases), spendMinor: num(lifetime?.spendMinor) };
  const optional = {
    firstPurchaseAt: str(lifetime?.firstPurchaseAt),
    lastPurchaseAt: str(lifetime?.lastPurchaseAt),
    purchaseDays: typeof rhythm?.purchaseDays === "number" ? rhythm.purchaseDays : undefined,
    firstDay: str(rhythm?.firstDay),
    lastDay: str(rhythm?.lastDay),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (inputs as unknown as Record<string, unknown>)[key] = value;
  }
  return inputs;
}

export function sameInputs(a: MemberInputs, b: MemberInputs): boolean {
  return (
    a.purchases === b.purchases &&
    a.spendMinor === b.spendMinor &&
    a.firstPurchaseAt === b.firstPurchaseAt &&
    a.lastPurchaseAt === b.lastPurchaseAt &&
    a.purchaseDays === b.purchaseDays &&
    a.firstDay === b.firstDay &&
    a.lastDay === b.lastDay
  );
}

const dayOf = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : parseDayNumber(text.slice(0, 10));

function earliest(...days: (number | undefined)[]): number | undefined {
  const known = days.filter((d): d is number => d !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

function latest(...days: (number | undefined)[]): number | undefined {
  const known = days.filter((d): d is number => d !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}

/**
 * The member's calibration row as of `asOfDay` (a day number), or undefined when they have no purchase on or
 * before that day (such members are counted but not scored).
 */
export function summaryRow(inputs: MemberInputs, asOfDay: number): SummaryRow | undefined {
  if (inputs.purchases <= 0) return undefined;
  const first = earliest(dayOf(inputs.firstPurchaseAt), dayOf(inputs.firstDay));
  if (first === undefined || first > asOfDay) return undefined;
  // A purchase stamped after the run (clock skew, a simulated clock) counts as today's.
  const last = Math.min(
    asOfDay,
    Math.max(first, latest(dayOf(inputs.lastPurchaseAt), dayOf(inputs.lastDay)) ?? first),
  );
  const purchaseDays =
    inputs.purchaseDays !== undefined && inputs.purchaseDays > 0 ? inputs.purchaseDays : inputs.purchases;
  const x = Math.max(0, Math.min(Math.round(purchaseDays) - 1, last - first));
  const spend = Math.max(0, inputs.spendMinor);
  return {
    x,
    tx: x > 0 ? (last - first) / DAYS_PER_WEEK : 0,
    T: (asOfDay - first) / DAYS_PER_WEEK,
    meanRepeatValue: x > 0 ? spend / inputs.purchases : 0,
    totalValue: spend,
  };
}

/** The stored scores from an unmarshalled `state.scores`, or undefined when absent or not of the known shape. */
export function storedScores(value: unknown): MemberScores | undefined {
  const s = record(value);
  if (!s) return undefined;
  const numbers = [
    "recency",
    "frequency",
    "monetary",
    "probabilityAlive",
    "expectedOrderValueMinor",
    "clvMinor",
  ];
  const strings = ["segment", "scoredOn", "modelVersion"];
  if (!numbers.every((k) => typeof s[k] === "number") || !strings.every((k) => typeof s[k] === "string")) {
    return undefined;
  }
  return s as unknown as MemberScores;
}
