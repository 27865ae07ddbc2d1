// CRM KPIs per month over the last KPI_MONTHS months, from one bounded summary per member (no ledger): who was
// acquired when, which months they purchased in (the activity bitmap, domain/member/activity-months.ts) and
// their lifecycle stage. Pure: the caller passes `now`. Value KPIs (equity, economics): kpi-value.ts.
// One-line formulas: README "KPIs".
import { type ActivityMonths, activeMonths, monthFromNumber, monthNumber } from "../member/activity-months";
import type { LifecycleStage } from "../retention/retention-state";
import type { MonthStartStages } from "../retention/stage-months";
import { daysBetween, type IsoDay, type IsoMonth, monthOf, utcDay } from "../time";

export const KPI_MONTHS = 24;
/** A new member counts as converted when their first purchase is within this many days of enrolling. */
export const FIRST_PURCHASE_DAYS = 30;
export const LIFECYCLE_STAGES: readonly LifecycleStage[] = [
  "new",
  "active",
  "at-risk",
  "lapsed",
  "won-back",
  "churned",
];

export interface KpiMember {
  enrolledOn: IsoDay;
  /** Enrolment channel; "unknown" when it was not recorded. */
  channel: string;
  /** Enrolled with another member's referral code (and linked to them). */
  referred?: boolean;
  firstPurchaseOn?: IsoDay;
  activity?: ActivityMonths;
  stage: LifecycleStage;
  stageSince: IsoDay;
  /** The stage at the start of the latest change's month and the month before (kpi-stage-flows.ts). */
  monthStart?: MonthStartStages;
}

/** Which month makes a member part of a cohort: enrolment, or (for purchase logs like CDNOW) first purchase. */
export type CohortBy = "enrolment" | "first-purchase";

/** The KPI_MONTHS calendar months ending with the month of `now`, oldest first. */
export function kpiMonths(now: Date | string, count = KPI_MONTHS): IsoMonth[] {
  const last = monthNumber(monthOf(utcDay(now)));
  return Array.from({ length: count }, (_, i) => monthFromNumber(last - count + 1 + i));
}

function cohortMonth(member: KpiMember, by: CohortBy): IsoMonth | undefined {
  const day = by === "enrolment" ? member.enrolledOn : member.firstPurchaseOn;
  return day === undefined ? undefined : monthOf(day);
}

export interface AcquisitionMonth {
  month: IsoMonth;
  newMembers: number;
  byChannel: Record<string, number>;
  /** New members who enrolled with another member's referral code (referral acquisitions). */
  referrals: number;
  /** Share of the month's new members whose first purchase came within FIRST_PURCHASE_DAYS (0 with none). */
  purchasedWithin30Days: number;
}

export function acquisition(
  members: readonly KpiMember[],
  options: { months: readonly IsoMonth[]; cohortBy: CohortBy },
): AcquisitionMonth[] {
  const rows = new Map<IsoMonth, AcquisitionMonth & { converted: number }>(
    options.months.map((month) => [
      month,
      { month, newMembers: 0, byChannel: {}, referrals: 0, purchasedWithin30Days: 0, converted: 0 },
    ]),
  );
  for (const member of members) {
    const month = cohortMonth(member, options.cohortBy);
    const row = month === undefined ? undefined : rows.get(month);
    if (!row) continue;
    row.newMembers++;
    row.byChannel[member.channel] = (row.byChannel[member.channel] ?? 0) + 1;
    if (member.referred) row.referrals++;
    const start = options.cohortBy === "enrolment" ? member.enrolledOn : member.firstPurchaseOn;
    if (
      start !== undefined &&
      member.firstPurchaseOn !== undefined &&
      daysBetween(start, member.firstPurchaseOn) <= FIRST_PURCHASE_DAYS
    )
      row.converted++;
  }
  return [...rows.values()].map(({ converted, ...row }) => ({
    ...row,
    purchasedWithin30Days: row.newMembers > 0 ? converted / row.newMembers : 0,
  }));
}

export interface CohortRow {
  cohort: IsoMonth;
  size: number;
  /** retention[k]: share of the cohort that purchased in month cohort + k (k = 0 up to the last month). */
  retention: number[];
  /** defection[k] = 1 − retention[k]. */
  defection: number[];
}

/** The cohort retention triangle: one row per cohort month in `months`, one cell per month since. */
export function cohortRetention(
  members: readonly KpiMember[],
  options: { months: readonly IsoMonth[]; cohortBy: CohortBy },
): CohortRow[] {
  const { months } = options;
  const index = new Map(months.map((month, i) => [month, i]));
  const numbers = months.map(monthNumber);
  const active = months.map((_, i) => new Array<number>(months.length - i).fill(0));
  const sizes = new Array<number>(months.length).fill(0);
  for (const member of members) {
    const month = cohortMonth(member, options.cohortBy);
    const c = month === undefined ? undefined : index.get(month);
    if (c === undefined) continue;
    sizes[c] = (sizes[c] as number) + 1;
    const row = active[c] as number[];
    const activeAt = activeMonths(member.activity);
    for (let k = 0; k < row.length; k++) {
      if (activeAt(numbers[c + k] as number)) row[k] = (row[k] as number) + 1;
    }
  }
  return months.map((cohort, c) => {
    const size = sizes[c] as number;
    const retention = (active[c] as number[]).map((n) => (size > 0 ? n / size : 0));
    return { cohort, size, retention, defection: retention.map((r) => (size > 0 ? 1 - r : 0)) };
  });
}

export interface ActiveMonth {
  month: IsoMonth;
  /** Members with a purchase in the month. */
  active: number;
  /** Of the members active the month before, the share active again this month (0 when none were). */
  retentionRate: number;
  /** 1 − retentionRate (0 when no member was active the month before). */
  defectionRate: number;
}

/** Active members per month and month-over-month retention of the active base. */
export function activeMembers(members: readonly KpiMember[], months: readonly IsoMonth[]): ActiveMonth[] {
  const active = new Array<number>(months.length).fill(0);
  const kept = new Array<number>(months.length).fill(0);
  const numbers = months.map(monthNumber);
  const previous = (numbers[0] ?? 0) - 1;
  let activeBefore = 0;
  for (const member of members) {
    const activeAt = activeMonths(member.activity);
    let before = activeAt(previous);
    if (before) activeBefore++;
    numbers.forEach((n, i) => {
      const now = activeAt(n);
      if (now) active[i] = (active[i] as number) + 1;
      if (now && before) kept[i] = (kept[i] as number) + 1;
      before = now;
    });
  }
  return months.map((month, i) => {
    const retentionRate = activeBefore > 0 ? (kept[i] as number) / activeBefore : 0;
    const row = {
      month,
      active: active[i] as number,
      retentionRate,
      defectionRate: activeBefore > 0 ? 1 - retentionRate : 0,
    };
    activeBefore = active[i] as number;
    return row;
  });
}

export interface LifecycleCounts {
  month: IsoMonth;
  /** Members in each stage at `now`. */
  stages: Record<LifecycleStage, number>;
  /** Members who entered each stage during the month of `now` (the month's inflow per stage). */
  entered: Record<LifecycleStage, number>;
}

const zeroStages = (): Record<LifecycleStage, number> =>
  Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, 0])) as Record<LifecycleStage, number>;

/** Stage counts at `now` and the stage inflows of the current month (the monthly snapshot keeps the series). */
export function lifecycleCounts(members: readonly KpiMember[], now: Date | string): LifecycleCounts {
  const month = monthOf(utcDay(now));
  const stages = zeroStages();
  const entered = zeroStages();
  for (const member of members) {
    stages[member.stage]++;
    if (monthOf(member.stageSince) === month) entered[member.stage]++;
  }
  return { month, stages, entered };
}
