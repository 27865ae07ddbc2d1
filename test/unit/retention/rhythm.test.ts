import { describe, expect, it } from "vitest";
import type { PurchaseRhythm } from "../../../domain/retention/retention-state";
import { expectedNextPurchase, recordPurchaseDay } from "../../../domain/retention/rhythm";
import { config } from "./fixtures";

const cfg = config();

function rhythmOf(days: string[]): PurchaseRhythm {
  return days.reduce((r, day) => recordPurchaseDay(r, day, cfg), { purchaseDays: 0 } as PurchaseRhythm);
}

describe("purchase rhythm", () => {
  it("keeps an exponentially weighted mean of the gaps between purchase days", () => {
    // Gaps 10, 20: mean 10, then 0.3 × 20 + 0.7 × 10 = 13.
    expect(rhythmOf(["2025-01-01", "2025-01-11", "2025-01-31"])).toEqual({
      purchaseDays: 3,
      firstDay: "2025-01-01",
      lastDay: "2025-01-31",
      meanGapDays: 13,
    });
  });

  it("counts several orders on one day once and ignores late events for the mean", () => {
    const base = rhythmOf(["2025-01-01", "2025-01-11"]);
    expect(recordPurchaseDay(base, "2025-01-11", cfg)).toBe(base);
    expect(recordPurchaseDay(base, "2025-01-05", cfg)).toEqual({ ...base, purchaseDays: 3 });
    expect(recordPurchaseDay(base, "2024-12-01", cfg)).toEqual({
      ...base,
      purchaseDays: 3,
      firstDay: "2024-12-01",
    });
  });

  it("uses the program default gap until the member has enough purchase days", () => {
    const two = rhythmOf(["2025-01-01", "2025-01-06"]);
    expect(expectedNextPurchase(two, "2024-12-01", cfg)).toEqual({
      day: "2025-02-05",
      gapDays: 30,
      source: "program-default",
    });
    const none: PurchaseRhythm = { purchaseDays: 0 };
    expect(expectedNextPurchase(none, "2024-12-01", cfg).day).toBe("2024-12-31");
    const three = rhythmOf(["2025-01-01", "2025-01-06", "2025-01-11"]);
    expect(expectedNextPurchase(three, "2024-12-01", cfg)).toEqual({
      day: "2025-01-16",
      gapDays: 5,
      source: "own-rhythm",
    });
  });

  it("shrinks the gap when P(alive) is low and stretches it when high", () => {
    const r = rhythmOf(["2025-01-01", "2025-01-21", "2025-02-10"]); // 20-day rhythm
    expect(expectedNextPurchase(r, "2025-01-01", cfg, 0).gapDays).toBe(15);
    expect(expectedNextPurchase(r, "2025-01-01", cfg, 0.5).gapDays).toBe(20);
    expect(expectedNextPurchase(r, "2025-01-01", cfg, 1).gapDays).toBe(25);
    expect(() => expectedNextPurchase(r, "2025-01-01", cfg, 1.5)).toThrow(
      /probabilityAlive: must be between 0 and 1/,
    );
  });

  it("clamps the gap to the configured range", () => {
    const tight = config({ rhythm: { minGapDays: 7, maxGapDays: 60 } });
    const daily = ["2025-01-01", "2025-01-02", "2025-01-03"].reduce(
      (r, d) => recordPurchaseDay(r, d, tight),
      { purchaseDays: 0 } as PurchaseRhythm,
    );
    expect(expectedNextPurchase(daily, "2025-01-01", tight).gapDays).toBe(7);
  });
});
