import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { campaignReport, triggerReport } from "../../../domain/retention/campaign-report";

describe("campaign report", () => {
  it("computes conversion, control conversion and incremental lift per trigger", () => {
    expect(
      triggerReport("win-back-step-1", { sent: 900, converted: 180, controlSize: 100, controlConverted: 12 }),
    ).toEqual({
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

  it("reports null instead of dividing by zero", () => {
    expect(
      triggerReport("birthday", { sent: 40, converted: 10, controlSize: 0, controlConverted: 0 }),
    ).toMatchObject({
      conversionRate: 0.25,
      controlConversionRate: null,
      liftPoints: null,
      relativeLift: null,
      incrementalConversions: null,
    });
    expect(triggerReport("x", { sent: 0, converted: 0, controlSize: 10, controlConverted: 0 })).toMatchObject(
      {
        conversionRate: null,
        controlConversionRate: 0,
        liftPoints: null,
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
          r.relativeLift,
          r.incrementalConversions,
        ]) {
          expect(v === null || Number.isFinite(v)).toBe(true);
        }
      }),
    );
  });
});
