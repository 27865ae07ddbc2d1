// The member's months with a purchase over the last ACTIVITY_MONTHS months, as two 24-bit masks: the nightly
// KPIs (domain/analytics/kpis.ts) read cohort retention and active members from it without the ledger.
// Bit i stands for the month i months before `month` (bit 0 = `month`, the latest month with a purchase).
//
// Refunds: a fully refunded order cancels its purchase, so its month stops counting as active when it was
// the month's only purchase. `repeat` marks months with two or more purchases; a cancelled purchase in such a
// month keeps the month active and clears `repeat` (the count is then taken as 1). Approximation, documented
// in the README: with three or more purchases in one month, a second full refund in that month clears it
// although a purchase remains. Partial refunds leave the purchase, and the month, in place.
import { type IsoMonth, monthOf, utcDay } from "../time";

export const ACTIVITY_MONTHS = 24;
const MASK = 2 ** ACTIVITY_MONTHS - 1;

export interface ActivityMonths {
  /** Latest month with a purchase (bit 0). */
  month: IsoMonth;
  /** Bit i set: a purchase in the month i months before `month`. */
  active: number;
  /** Bit i set: two or more purchases in that month. */
  repeat: number;
}

/** Months from January of year 0, so month differences are integer subtractions. */
export function monthNumber(month: IsoMonth): number {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return year * 12 + (m - 1);
}

export function monthFromNumber(n: number): IsoMonth {
  const year = Math.floor(n / 12);
  return `${String(year).padStart(4, "0")}-${String(n - year * 12 + 1).padStart(2, "0")}`;
}

/** Shifts masks left by whole months; bits older than the window fall off. */
function shifted(mask: number, months: number): number {
  return months >= ACTIVITY_MONTHS ? 0 : (mask * 2 ** months) % (MASK + 1);
}

/** The activity after a purchase at `occurredAt` (returns a new value; a purchase older than the window is ignored). */
export function recordPurchaseMonth(
  activity: ActivityMonths | undefined,
  occurredAt: string,
): ActivityMonths {
  const month = monthOf(utcDay(occurredAt));
  if (!activity) return { month, active: 1, repeat: 0 };
  const ahead = monthNumber(month) - monthNumber(activity.month);
  if (ahead > 0) {
    return { month, active: shifted(activity.active, ahead) | 1, repeat: shifted(activity.repeat, ahead) };
  }
  const bit = -ahead;
  if (bit >= ACTIVITY_MONTHS) return activity;
  const flag = 2 ** bit;
  const had = (activity.active & flag) !== 0;
  return {
    month: activity.month,
    active: activity.active | flag,
    repeat: had ? activity.repeat | flag : activity.repeat,
  };
}

/** The activity after a fully refunded order bought at `purchasedAt` cancels that purchase. */
export function cancelPurchaseMonth(
  activity: ActivityMonths | undefined,
  purchasedAt: string,
): ActivityMonths | undefined {
  if (!activity) return undefined;
  const bit = monthNumber(activity.month) - monthNumber(monthOf(utcDay(purchasedAt)));
  if (bit < 0 || bit >= ACTIVITY_MONTHS) return activity;
  const flag = 2 ** bit;
  if ((activity.repeat & flag) !== 0) return { ...activity, repeat: activity.repeat & ~flag };
  return { ...activity, active: activity.active & ~flag };
}

/** Whether the member purchased in `month` (false outside the window or with no activity recorded). */
export function activeIn(activity: ActivityMonths | undefined, month: IsoMonth): boolean {
  return activeMonths(activity)(monthNumber(month));
}

/**
 * A test "purchased in month number n?" for one member, parsing their latest month once: the KPIs ask it for
 * every member and month of the window.
 */
export function activeMonths(activity: ActivityMonths | undefined): (n: number) => boolean {
  if (!activity) return () => false;
  const base = monthNumber(activity.month);
  const { active } = activity;
  return (n) => {
    const bit = base - n;
    return bit >= 0 && bit < ACTIVITY_MONTHS && (active & (1 << bit)) !== 0;
  };
}

/** Two members' activity as one (a merge): a month is active if either bought in it, repeat if both did. */
export function mergeActivity(
  a: ActivityMonths | undefined,
  b: ActivityMonths | undefined,
): ActivityMonths | undefined {
  if (!a || !b) return a ?? b;
  const month = monthNumber(a.month) >= monthNumber(b.month) ? a.month : b.month;
  const align = (x: ActivityMonths) => {
    const by = monthNumber(month) - monthNumber(x.month);
    return { active: shifted(x.active, by), repeat: shifted(x.repeat, by) };
  };
  const [x, y] = [align(a), align(b)];
  return { month, active: x.active | y.active, repeat: x.repeat | y.repeat | (x.active & y.active) };
}
