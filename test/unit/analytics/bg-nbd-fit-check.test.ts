import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectedPurchasesNewCustomer } from "../../../domain/analytics/bg-nbd-expectations";
import { probabilityOfRepeats, repeatHistogram } from "../../../domain/analytics/bg-nbd-fit-check";

// The CDNOW fit of Fader, Hardie & Lee (2005), weeks.
const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

// Ranges whose distributions have almost no mass beyond 400 repeats, so a finite sum shows the total.
const params = fc.record({
  r: fc.double({ min: 0.05, max: 2, noNaN: true }),
  alpha: fc.double({ min: 2, max: 50, noNaN: true }),
  a: fc.double({ min: 0.1, max: 5, noNaN: true }),
  b: fc.double({ min: 0.5, max: 10, noNaN: true }),
});

describe("P(X(t) = x)", () => {
  it("is a distribution: the probabilities over x sum to 1", () => {
    fc.assert(
      fc.property(params, fc.double({ min: 0.5, max: 40, noNaN: true }), (p, t) => {
        let total = 0;
        for (let x = 0; x < 400; x++) total += probabilityOfRepeats(p, t, x);
        return Math.abs(total - 1) < 1e-4;
      }),
      { numRuns: 40 },
    );
  });

  it("has the mean of the paper's independent E[X(t)] formula (eq. 7)", () => {
    for (const t of [1, 10, 39, 78]) {
      let mean = 0;
      for (let x = 1; x < 1000; x++) mean += x * probabilityOfRepeats(CDNOW, t, x);
      expect(mean).toBeCloseTo(expectedPurchasesNewCustomer(CDNOW, t), 4);
    }
  });

  it("is certain of no purchases in no time", () => {
    expect(probabilityOfRepeats(CDNOW, 0, 0)).toBe(1);
    expect(probabilityOfRepeats(CDNOW, 0, 3)).toBe(0);
  });
});

describe("repeatHistogram", () => {
  it("counts customers per repeat bin, caps the last bin, and expects as many customers as there are", () => {
    const x = Int32Array.from([0, 0, 0, 1, 2, 9, 12]);
    const T = Float64Array.from([30, 30, 20, 30, 20, 30, 30]);
    const bins = repeatHistogram(CDNOW, { x, T }, 3);
    expect(bins.map((bin) => [bin.repeats, bin.actual])).toEqual([
      ["0", 3],
      ["1", 1],
      ["2", 1],
      ["3+", 2],
    ]);
    expect(bins.reduce((sum, bin) => sum + bin.expected, 0)).toBeCloseTo(x.length, 0);
    const zeroExpected = 5 * probabilityOfRepeats(CDNOW, 30, 0) + 2 * probabilityOfRepeats(CDNOW, 20, 0);
    expect(bins[0]?.expected).toBeCloseTo(zeroExpected, 1);
  });
});
