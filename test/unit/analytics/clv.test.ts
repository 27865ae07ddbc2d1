import { describe, expect, it } from "vitest";
import {
  discountedPurchases,
  discountFactors,
  lifetimeValue,
  periodDiscountRate,
} from "../../../domain/analytics/clv";

describe("CLV discounting", () => {
  it("discounts each period to its end", () => {
    const factors = discountFactors(3, 0.1);
    expect([...factors].map((f) => f.toFixed(10))).toEqual(
      [1 / 1.1, 1 / 1.21, 1 / 1.331].map((f) => f.toFixed(10)),
    );
  });

  it("discounts the per-period increments of the cumulative expectation", () => {
    // 0.5, then 0.3 more, then 0.2 more purchases at 10% a period.
    const value = discountedPurchases([0.5, 0.8, 1.0], discountFactors(3, 0.1));
    expect(value).toBeCloseTo(0.5 / 1.1 + 0.3 / 1.21 + 0.2 / 1.331, 12);
    expect(discountedPurchases([0.5, 0.8, 1.0], discountFactors(3, 0))).toBeCloseTo(1, 12);
  });

  it("multiplies by order value and margin", () => {
    expect(lifetimeValue(2.5, 40)).toBe(100);
    expect(lifetimeValue(2.5, 40, 0.3)).toBeCloseTo(30, 12);
  });

  it("converts an annual rate to the equivalent weekly and daily rates", () => {
    const weekly = periodDiscountRate(0.1, "week");
    expect((1 + weekly) ** (365.25 / 7)).toBeCloseTo(1.1, 12);
    expect((1 + periodDiscountRate(0.1, "day")) ** 365.25).toBeCloseTo(1.1, 12);
  });

  it("rejects a bad horizon, rate or mismatched lengths", () => {
    expect(() => discountFactors(0, 0.1)).toThrow(/horizon/);
    expect(() => discountFactors(2.5, 0.1)).toThrow(/horizon/);
    expect(() => discountFactors(3, -1)).toThrow(/discount rate/);
    expect(() => periodDiscountRate(Number.NaN, "week")).toThrow(/discount rate/);
    expect(() => discountedPurchases([1, 2], [1])).toThrow(/one discount factor per period/);
  });
});
