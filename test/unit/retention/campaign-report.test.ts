import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { campaignReport, triggerReport } from "../../../domain/retention/campaign-report";

describe("campaign report", () => {
  it("computes conversion, control conversion and incremental lift per trigger", () => {
    const { liftInterval, ...report } = triggerReport("win-back-step-1", {
      sent: 900,
      converted: 180,
      controlSize: 100,
      controlConverted: 12,
    });
    expect(liftInterval?.low).toBeLessThan(8);
    expect(liftInterval?.high).toBeGreaterThan(8);
    expect(report).toMatchObject({
      trigger: "win-back-step-1",
      sent: 900,
      converted: 180,
      controlSize: 100,
      controlConverted: 12,
      conversionRate: 0.2,
      controlConversionRate: 0.12,
      liftPoints: 8,
      relativeLift: 0.666667,
      incrementalConversions: 72,
    });
  });

  it("weighs incremental margin against what the incentives cost", () => {
    // 900 treated spent 540,000 on converting orders; 100 control members 36,000, i.e. 360 each. The messages
    // brought 540,000 − 900 × 360 = 216,000 of revenue, at 30% margin 64,800, for 40,000 of incentives.
    const report = triggerReport(
      "win-back-step-1",
      {
        sent: 900,
        converted: 180,
        controlSize: 100,
        controlConverted: 12,
        convertedSpendMinor: 540_000,
        controlConvertedSpendMinor: 36_000,
        redeemed: 90,
        incentiveCostMinor: 40_000,
      },
      { grossMarginPercent: 30 },
    );
    expect(report).toMatchObject({
      redeemed: 90,
      redemptionRate: 0.1,
      incentiveCostMinor: 40_000,
      incrementalRevenueMinor: 216_000,
      incrementalMarginMinor: 64_800,
      marginPerIncentive: 1.62,
    });
  });

  it("claims no return without a control group, an incentive cost or a margin", () => {
    const counters = { sent: 10, converted: 2, controlSize: 0, controlConverted: 0, redeemed: 1 };
    expect(triggerReport("birthday", counters, { grossMarginPercent: 30 })).toMatchObject({
      redemptionRate: 0.1,
      incrementalRevenueMinor: null,
      marginPerIncentive: null,
    });
    const controlled = { ...counters, controlSize: 5, controlConvertedSpendMinor: 500 };
    expect(triggerReport("birthday", controlled)).toMatchObject({
      incrementalRevenueMinor: -1000,
      incrementalMarginMinor: null,
    });
    expect(triggerReport("birthday", controlled, { grossMarginPercent: 30 }).marginPerIncentive).toBeNull();
  });

  it("reports null instead of dividing by zero", () => {
    expect(
      triggerReport("birthday", { sent: 40, converted: 10, controlSize: 0, controlConverted: 0 }),
    ).toMatchObject({
      conversionRate: 0.25,
      controlConversionRate: null,
      liftPoints: null,
      liftInterval: null,
      relativeLift: null,
      incrementalConversions: null,
    });
    expect(triggerReport("x", { sent: 0, converted: 0, controlSize: 10, controlConverted: 0 })).toMatchObject(
      {
        conversionRate: null,
        controlConversionRate: 0,
        liftPoints: null,
        liftInterval: null,
        relativeLift: null,
        incrementalConversions: 0,
      },
    );
    expect(
      triggerReport("y", { sent: 10, converted: 2, controlSize: 10, controlConverted: 0 }).relativeLift,
    ).toBeNull();
  });

  it("orders rows by trigger and rejects impossible counters by field", () => {
    const rows = campaignReport({
      "win-back-step-2": { sent: 1, converted: 0, controlSize: 1, controlConverted: 0 },
      "at-risk-nudge": { sent: 1, converted: 1, controlSize: 1, controlConverted: 0 },
    });
    expect(rows.map((r) => r.trigger)).toEqual(["at-risk-nudge", "win-back-step-2"]);
    expect(() => triggerReport("t", { sent: 1, converted: 2, controlSize: 0, controlConverted: 0 })).toThrow(
      /t\.converted exceeds sent/,
    );
    expect(() => triggerReport("t", { sent: -1, converted: 0, controlSize: 0, controlConverted: 0 })).toThrow(
      /t\.sent must be a count/,
    );
  });

  it("gives the 95% interval of the lift by Newcombe's hybrid score method, in percentage points", () => {
    // Newcombe (1998), Table II, example (a): 56/70 − 48/80 = 0.2, method 10 interval 0.0524 to 0.3339. By hand:
    // Wilson 56/70 = (0.6918, 0.8769), 48/80 = (0.4905, 0.7004); low = 0.2 − √(0.1082² + 0.1004²) = 0.0524.
    const a = triggerReport("a", { sent: 70, converted: 56, controlSize: 80, controlConverted: 48 });
    expect(a.liftPoints).toBe(20);
    expect(a.liftInterval?.low).toBeCloseTo(5.24, 2);
    expect(a.liftInterval?.high).toBeCloseTo(33.39, 2);
    // Example (d), a control group with no conversion: 5/56 − 0/29, interval −0.0381 to 0.1926.
    const d = triggerReport("d", { sent: 56, converted: 5, controlSize: 29, controlConverted: 0 });
    expect(d.liftInterval?.low).toBeCloseTo(-3.81, 2);
    expect(d.liftInterval?.high).toBeCloseTo(19.26, 2);
  });

  it("keeps the interval around the lift and within ±100 points", () => {
    const counts = fc
      .tuple(fc.nat(1000), fc.nat(1000))
      .filter(([a, b]) => a + b > 0)
      .map(([a, b]) => [Math.max(a, b), Math.min(a, b)] as const);
    fc.assert(
      fc.property(counts, counts, ([sent, converted], [controlSize, controlConverted]) => {
        const r = triggerReport("t", { sent, converted, controlSize, controlConverted });
        const lift = r.liftPoints as number;
        expect(r.liftInterval?.low).toBeLessThanOrEqual(lift + 1e-6);
        expect(r.liftInterval?.high).toBeGreaterThanOrEqual(lift - 1e-6);
        expect(r.liftInterval?.low).toBeGreaterThanOrEqual(-100);
        expect(r.liftInterval?.high).toBeLessThanOrEqual(100);
      }),
    );
  });

  it("never reports NaN or infinity", () => {
    const counts = fc
      .tuple(fc.nat(1000), fc.nat(1000))
      .map(([a, b]) => [Math.max(a, b), Math.min(a, b)] as const);
    fc.assert(
      fc.property(counts, counts, ([sent, converted], [controlSize, controlConverted]) => {
        const r = triggerReport("t", { sent, converted, controlSize, controlConverted });
        for (const v of [
          r.conversionRate,
          r.controlConversionRate,
          r.liftPoints,
          r.liftInterval?.low ?? null,
          r.liftInterval?.high ?? null,
          r.relativeLift,
          r.incrementalConversions,
        ]) {
          expect(v === null || Number.isFinite(v)).toBe(true);
        }
      }),
    );
  });
});
