import { describe, expect, it } from "vitest";
import { valueConcentration } from "../../../domain/analytics/concentration";

describe("valueConcentration", () => {
  it("reports the top 10% and 20% shares of 1..10", () => {
    const report = valueConcentration([3, 1, 4, 10, 5, 9, 2, 6, 8, 7]);
    expect(report.total).toBe(55);
    expect(report.top10Share).toBeCloseTo(10 / 55, 12);
    expect(report.top20Share).toBeCloseTo(19 / 55, 12);
    expect(report.lorenz[5]).toEqual({ population: 0.5, value: 15 / 55 });
    expect(report.lorenz[0]).toEqual({ population: 0, value: 0 });
    expect(report.lorenz[10]).toEqual({ population: 1, value: 1 });
    // Gini of 1..n is (n − 1) / (3n).
    expect(report.gini).toBeCloseTo(9 / 30, 12);
  });

  it("shows an 80/20 (Pareto) base as 80% of value in the top 20%", () => {
    const values = [...new Array<number>(20).fill(4), ...new Array<number>(80).fill(0.25)];
    const report = valueConcentration(values);
    expect(report.top20Share).toBeCloseTo(0.8, 12);
    expect(report.top10Share).toBeCloseTo(0.4, 12);
    expect(report.lorenz[8]?.value).toBeCloseTo(0.2, 12);
  });

  it("has Gini 0 when everyone holds the same, and near 1 when one member holds all", () => {
    expect(valueConcentration([5, 5, 5, 5]).gini).toBeCloseTo(0, 12);
    const one = valueConcentration([...new Array<number>(999).fill(0), 100]);
    expect(one.gini).toBeCloseTo(0.999, 12);
    expect(one.top10Share).toBe(1);
    expect(valueConcentration([0, 0]).top20Share).toBe(0);
  });

  it("counts at least one member as the top 10% of a small base", () => {
    expect(valueConcentration([1, 3]).top10Share).toBeCloseTo(0.75, 12);
  });

  it("rejects negative or missing values and an empty base", () => {
    expect(() => valueConcentration([1, -2])).toThrow(/member 1 has value -2/);
    expect(() => valueConcentration([Number.NaN])).toThrow(/finite/);
    expect(() => valueConcentration([])).toThrow(/at least one member/);
  });
});
