// Each KPI's definition pinned on small member sets whose answers are worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { customerEquity, programmeEconomics, type ValueMember } from "../../../domain/analytics/kpi-value";
import {
  acquisition,
  activeMembers,
  cohortRetention,
  type KpiMember,
  kpiMonths,
  lifecycleCounts,
} from "../../../domain/analytics/kpis";
import {
  type ActivityMonths,
  activeIn,
  cancelPurchaseMonth,
  recordPurchaseMonth,
} from "../../../domain/member/activity-months";

const purchases = (...at: string[]): ActivityMonths | undefined =>
  at.reduce<ActivityMonths | undefined>((a, day) => recordPurchaseMonth(a, `${day}T12:00:00Z`), undefined);

const member = (over: Partial<KpiMember> & { enrolledOn: string }): KpiMember => ({
  channel: "web",
  stage: "new",
  stageSince: over.enrolledOn,
  ...over,
});

const months = ["2026-01", "2026-02", "2026-03"];

// A: enrolled Jan (web), bought Jan 10 and Mar 2.  B: enrolled Jan (store), bought Feb 20 (41 days later).
// C: enrolled and churned in Feb, no purchases.  D: enrolled Feb, bought Feb and Mar.
const A = member({
  enrolledOn: "2026-01-05",
  firstPurchaseOn: "2026-01-10",
  activity: purchases("2026-01-10", "2026-03-02"),
});
const B = member({
  enrolledOn: "2026-01-10",
  channel: "store",
  firstPurchaseOn: "2026-02-20",
  activity: purchases("2026-02-20"),
});
const C = member({ enrolledOn: "2026-02-01", stage: "churned", stageSince: "2026-02-27" });
const D = member({
  enrolledOn: "2026-02-03",
  firstPurchaseOn: "2026-02-03",
  activity: purchases("2026-02-03", "2026-03-09"),
  stage: "active",
  stageSince: "2026-03-09",
});
const base = [A, B, C, D];

describe("activity months", () => {
  it("keeps 24 months ending at the latest purchase month; older bits fall off", () => {
    const a = purchases("2024-01-15", "2025-12-31", "2026-01-01") as ActivityMonths;
    expect(a.month).toBe("2026-01");
    expect(activeIn(a, "2025-12")).toBe(true);
    expect(activeIn(a, "2024-01")).toBe(false); // 24 months before 2026-01: outside the window
    expect(activeIn(a, "2024-02")).toBe(false);
    expect(a.active).toBe(0b11);
    expect(recordPurchaseMonth(a, "2023-05-01T00:00:00Z")).toBe(a); // too old: ignored
  });

  it("a refund that cancels a month's only purchase clears the month; a second purchase keeps it", () => {
    const one = purchases("2026-01-10", "2026-02-02") as ActivityMonths;
    expect(activeIn(cancelPurchaseMonth(one, "2026-01-10T12:00:00Z"), "2026-01")).toBe(false);
    const two = purchases("2026-01-10", "2026-01-20") as ActivityMonths;
    const afterOne = cancelPurchaseMonth(two, "2026-01-10T12:00:00Z");
    expect(activeIn(afterOne, "2026-01")).toBe(true);
    expect(activeIn(cancelPurchaseMonth(afterOne, "2026-01-20T12:00:00Z"), "2026-01")).toBe(false);
  });
});

describe("acquisition", () => {
  it("counts new members per enrolment month by channel and the share buying within 30 days", () => {
    const rows = acquisition(base, { months, cohortBy: "enrolment" });
    // Jan: A (web, bought day 5) and B (store, bought day 41) → 1 of 2 within 30 days.
    expect(rows[0]).toEqual({
      month: "2026-01",
      newMembers: 2,
      byChannel: { web: 1, store: 1 },
      referrals: 0,
      purchasedWithin30Days: 0.5,
    });
    // Feb: C (never bought) and D (bought the same day) → 1 of 2.
    expect(rows[1]).toEqual({
      month: "2026-02",
      newMembers: 2,
      byChannel: { web: 2 },
      referrals: 0,
      purchasedWithin30Days: 0.5,
    });
    expect(rows[2]?.newMembers).toBe(0);
    expect(rows[2]?.purchasedWithin30Days).toBe(0);
  });

  it("counts the new members who enrolled with a referral code as referral acquisitions", () => {
    const referred = base.map((m, i) => (i % 2 === 1 ? { ...m, referred: true } : m));
    const rows = acquisition(referred, { months, cohortBy: "enrolment" });
    expect(rows.map((r) => [r.newMembers, r.referrals])).toEqual([
      [2, 1],
      [2, 1],
      [0, 0],
    ]);
  });

  it("by first purchase, members who never bought are not acquired", () => {
    const rows = acquisition(base, { months, cohortBy: "first-purchase" });
    expect(rows.map((r) => r.newMembers)).toEqual([1, 2, 0]); // A in Jan; B and D in Feb; C never
  });
});

describe("cohort retention", () => {
  it("builds the triangle: share of each enrolment cohort purchasing k months later", () => {
    const rows = cohortRetention(base, { months, cohortBy: "enrolment" });
    // Jan cohort {A, B}: Jan A → 1/2; Feb B → 1/2; Mar A → 1/2.
    expect(rows[0]).toEqual({
      cohort: "2026-01",
      size: 2,
      retention: [0.5, 0.5, 0.5],
      defection: [0.5, 0.5, 0.5],
    });
    // Feb cohort {C, D}: Feb D → 1/2; Mar D → 1/2. C (enrolled and churned in Feb, no purchase) counts as lost.
    expect(rows[1]).toEqual({ cohort: "2026-02", size: 2, retention: [0.5, 0.5], defection: [0.5, 0.5] });
    // Empty cohort: zeros, not NaN.
    expect(rows[2]).toEqual({ cohort: "2026-03", size: 0, retention: [0], defection: [0] });
  });

  it("a refund cancelling the month's only purchase removes the member from that month's cell", () => {
    const refunded = { ...D, activity: cancelPurchaseMonth(D.activity, "2026-03-09T12:00:00Z") };
    const rows = cohortRetention([A, B, C, refunded], { months, cohortBy: "enrolment" });
    expect(rows[1]?.retention).toEqual([0.5, 0]);
  });
});

describe("active members", () => {
  it("counts purchasers per month and the month-over-month retention of the active base", () => {
    const rows = activeMembers(base, months);
    // Jan: A. Feb: B, D (A not again → retention 0/1). Mar: A, D (D kept from Feb → 1/2).
    expect(rows).toEqual([
      { month: "2026-01", active: 1, retentionRate: 0, defectionRate: 0 },
      { month: "2026-02", active: 2, retentionRate: 0, defectionRate: 1 },
      { month: "2026-03", active: 2, retentionRate: 0.5, defectionRate: 0.5 },
    ]);
  });
});

describe("lifecycle stages", () => {
  it("counts members per stage and the current month's inflow per stage", () => {
    const counts = lifecycleCounts(base, "2026-03-31T23:00:00Z");
    expect(counts.stages).toEqual({ new: 2, active: 1, "at-risk": 0, lapsed: 0, "won-back": 0, churned: 1 });
    // Only D changed stage in March (C churned in February).
    expect(counts.entered).toEqual({ new: 0, active: 1, "at-risk": 0, lapsed: 0, "won-back": 0, churned: 0 });
    expect(kpiMonths("2026-03-31T23:00:00Z", 3)).toEqual(months);
  });
});

const value = (over: Partial<ValueMember>): ValueMember => ({
  tierId: "base",
  segment: "unscored",
  clvMinor: 0,
  purchases: 0,
  spendMinor: 0,
  pointsEarned: 0,
  pointsRedeemed: 0,
  pointsExpired: 0,
  outstandingPoints: 0,
  holdout: false,
  ...over,
});

describe("customer equity", () => {
  it("sums CLV by tier and segment; the top 20% share is the top member's of five", () => {
    const members = [
      value({ tierId: "gold", segment: "champions", clvMinor: 6000 }),
      value({ clvMinor: 1000, segment: "loyal" }),
      value({ clvMinor: 1000, segment: "loyal" }),
      value({ clvMinor: 2000, segment: "at risk" }),
      value({}), // no purchases: counted with 0
    ];
    expect(customerEquity(members)).toEqual({
      totalMinor: 10000,
      byTier: { gold: 6000, base: 4000 },
      bySegment: { champions: 6000, loyal: 2000, "at risk": 2000, unscored: 0 },
      top20Share: 0.6,
    });
    expect(customerEquity([]).top20Share).toBe(0);
  });
});

describe("programme economics", () => {
  it("derives liability, breakage, redemption and behaviour by tier against the holdout", () => {
    const economics = programmeEconomics(
      [
        value({
          tierId: "gold",
          purchases: 4,
          spendMinor: 20000,
          pointsEarned: 600,
          pointsRedeemed: 300,
          outstandingPoints: 300,
        }),
        value({
          purchases: 2,
          spendMinor: 3000,
          pointsEarned: 300,
          pointsExpired: 100,
          outstandingPoints: 200,
        }),
        value({}), // enrolled, never bought
        value({ holdout: true, purchases: 1, spendMinor: 4000, pointsEarned: 100, outstandingPoints: 100 }),
      ],
      { pointCostMinor: 2, hasHoldout: true },
    );
    expect(economics).toEqual({
      pointsIssued: 1000,
      pointsRedeemed: 300,
      pointsExpired: 100,
      outstandingPoints: 600,
      liabilityMinor: 1200,
      breakageRate: 0.1,
      redemptionRate: 0.3,
      byTier: {
        gold: { members: 1, averageOrderMinor: 5000, purchaseFrequency: 4 },
        base: { members: 2, averageOrderMinor: 1500, purchaseFrequency: 1 },
      },
      holdout: { members: 1, averageOrderMinor: 4000, purchaseFrequency: 1 },
    });
    const none = programmeEconomics([value({})], { pointCostMinor: 1, hasHoldout: false });
    expect(none.breakageRate).toBe(0);
    expect(none.holdout).toBeUndefined();
  });
});
