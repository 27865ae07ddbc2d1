import type { MemberState } from "../member/member-state";
import type { Program } from "../program/program-schema";
import type { Tier } from "../program/tier-schema";
import { addMonths, addMonthsToMonth, type IsoDay, type IsoMonth, monthOf } from "../time";

/** Adds (or, negative, removes) status points and qualifying spend in the month of `day`. Mutates `state`. */
export function addQualifying(
  state: MemberState,
  day: IsoDay,
  statusPoints: number,
  spendMinor: number,
): void {
  const month = monthOf(day);
  let bucket = state.qualifying.find((b) => b.month === month);
  if (!bucket) {
    // A reversal for a month already pruned has nothing left to reduce.
    if (statusPoints <= 0 && spendMinor <= 0) return;
    bucket = { month, statusPoints: 0, spendMinor: 0 };
    state.qualifying.push(bucket);
    state.qualifying.sort((a, b) => a.month.localeCompare(b.month));
  }
  bucket.statusPoints = Math.max(0, bucket.statusPoints + statusPoints);
  bucket.spendMinor = Math.max(0, bucket.spendMinor + spendMinor);
}

/** Months counted by a window that ends on `day`: the last N months (incl. day's), or day's calendar year. */
export function windowMonths(program: Program, day: IsoDay): { first: IsoMonth; last: IsoMonth } {
  const window = program.tierQualification.window;
  if (window.type === "calendarYear")
    return { first: `${day.slice(0, 4)}-01`, last: `${day.slice(0, 4)}-12` };
  return { first: addMonthsToMonth(monthOf(day), 1 - window.months), last: monthOf(day) };
}

/** The qualifying metric (status points, or spend in minor units) over the window ending on `day`. */
export function qualifyingMetric(state: MemberState, program: Program, day: IsoDay): number {
  const { first, last } = windowMonths(program, day);
  const field = program.tierQualification.metric === "statusPoints" ? "statusPoints" : "spendMinor";
  return state.qualifying
    .filter((b) => b.month >= first && b.month <= last)
    .reduce((sum, b) => sum + b[field], 0);
}

/**
 * Drops buckets no window can need any more. A year of slack is kept so an overdue review still sees the
 * months of the window it should have judged. Mutates `state`.
 */
export function pruneQualifying(state: MemberState, program: Program, today: IsoDay): void {
  const oldest = addMonthsToMonth(windowMonths(program, today).first, -12);
  state.qualifying = state.qualifying.filter((b) => b.month >= oldest);
}

/** The highest tier whose threshold the metric reaches (tiers are ordered, the first is 0). */
export function tierIndexFor(program: Program, metric: number): number {
  let index = 0;
  program.tiers.forEach((tier, i) => {
    if (metric >= tier.threshold) index = i;
  });
  return index;
}

/** Index of the member's tier in this program version; a tier dropped from the program counts as the lowest. */
export function currentTierIndex(state: MemberState, program: Program): number {
  return Math.max(
    0,
    program.tiers.findIndex((t) => t.id === state.tier.tierId),
  );
}

export function currentTier(state: MemberState, program: Program): Tier {
  return program.tiers[currentTierIndex(state, program)] as Tier;
}

/** Next review after `day`: `months` later for a rolling window, the next 1 January for calendar years. */
export function nextReview(program: Program, day: IsoDay): IsoDay {
  const window = program.tierQualification.window;
  if (window.type === "calendarYear") return `${Number(day.slice(0, 4)) + 1}-01-01`;
  return addMonths(day, window.months);
}
