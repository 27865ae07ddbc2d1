import { describe, expect, it } from "vitest";
import { expectedPurchases, probabilityAlive } from "../../../domain/analytics/bg-nbd-expectations";
import { expectedOrderValue } from "../../../domain/analytics/gamma-gamma";
import { scoreCustomers } from "../../../domain/analytics/scoring";

const models = {
  bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
};

// Customers 0–2 share (x, T) but differ in t_x, so they share a cached curve yet need their own P(alive).
const input = {
  x: Int32Array.from([2, 2, 2, 0, 0, 7, 3_000_000]),
  tx: Float64Array.from([30.43, 10, 38.86, 0, 0, 29.43, 39]),
  T: Float64Array.from([38.86, 38.86, 38.86, 38.86, 12, 35.71, 39]),
  meanRepeatValue: Float64Array.from([22.35, 22.35, 50, 0, 0, 18, 2]),
  totalValue: Float64Array.from([60, 60, 130, 10, 30, 150, 6e6]),
};

describe("scoreCustomers", () => {
  const horizon = 10;
  const rate = 0.01;
  const margin = 0.3;
  const scores = scoreCustomers(input, models, { horizon, discountRate: rate, margin });

  it("matches the single-customer formulas for every column", () => {
    for (let i = 0; i < input.x.length; i++) {
      const [x, tx, T] = [input.x[i] as number, input.tx[i] as number, input.T[i] as number];
      expect(scores.pAlive[i]).toBeCloseTo(probabilityAlive(models.bgNbd, x, tx, T), 14);
      expect(scores.expectedPurchases[i]).toBeCloseTo(expectedPurchases(models.bgNbd, x, tx, T, horizon), 8);
      const value = expectedOrderValue(models.gammaGamma, x, input.meanRepeatValue[i] as number);
      expect(scores.expectedOrderValue[i]).toBe(value);
      let discounted = 0;
      for (let t = 1; t <= horizon; t++) {
        const increment =
          expectedPurchases(models.bgNbd, x, tx, T, t) - expectedPurchases(models.bgNbd, x, tx, T, t - 1);
        discounted += increment / (1 + rate) ** t;
      }
      expect((scores.clv[i] as number) / (margin * value * discounted)).toBeCloseTo(1, 9);
    }
  });

  it("keeps every score finite and P(alive) within [0, 1]", () => {
    for (const column of [scores.pAlive, scores.expectedPurchases, scores.expectedOrderValue, scores.clv]) {
      for (const value of column) expect(Number.isFinite(value)).toBe(true);
    }
    for (const p of scores.pAlive) expect(p >= 0 && p <= 1).toBe(true);
  });

  it("segments members by RFM, scoring recency as time since the last purchase", () => {
    expect(scores.rfm.segment).toHaveLength(input.x.length);
    // Customer 2 bought at T (recency 0), customer 3 has not bought since the first purchase 38.86 weeks ago.
    expect(scores.rfm.recency[2]).toBeGreaterThan(scores.rfm.recency[3] as number);
    expect(scores.rfm.segmentNames[scores.rfm.segment[6] as number]).toBe("champions");
  });

  it("rejects a negative margin", () => {
    expect(() => scoreCustomers(input, models, { horizon, discountRate: rate, margin: -1 })).toThrow(
      /margin/,
    );
  });
});
