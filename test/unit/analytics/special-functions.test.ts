import { describe, expect, it } from "vitest";
import { hyp2f1, hyp2f1Series, lgamma } from "../../../domain/analytics/special-functions";

// Reference values computed with mpmath (30 significant digits).
describe("lgamma", () => {
  it.each([
    [0.5, 0.5723649429247001],
    [1, 0],
    [2, 0],
    [3.7, 1.4280723266653879],
    [10, 12.80182748008147],
    [100, 359.1342053695754],
    [1e-8, 18.42068073818021],
    [0.001, 6.907178885383853],
    [2.5e-3, 5.990026642114524],
    [1e6, 12815504.569147613],
  ])("lgamma(%d) matches the reference", (x, expected) => {
    expect(lgamma(x)).toBeCloseTo(expected, 12 - Math.max(0, Math.ceil(Math.log10(Math.abs(expected) + 1))));
  });

  it("agrees with log factorials", () => {
    let logFactorial = 0;
    for (let n = 1; n <= 170; n++) {
      logFactorial += Math.log(n);
      expect(lgamma(n + 1) / (logFactorial || 1)).toBeCloseTo(logFactorial === 0 ? 0 : 1, 12);
    }
  });

  it("refuses the poles", () => {
    expect(() => lgamma(0)).toThrow(/pole/);
    expect(() => lgamma(-3)).toThrow(/pole/);
  });
});

describe("hyp2f1", () => {
  it.each([
    [0.5, 1.5, 2.5, 0.7, 1.36486318055917],
    [2.3, -0.207, 12.2, 0.55, 0.9772311039624109],
    [1.4, -0.207, 1.4, 0.9, 0.6208690342300636],
    [3, 4, 5, -0.5, 0.37292146545466087],
    [20, 15, 3, 0.2, 538716.7422326672],
    [0.243, 2.426, 2.219, 0.9, 1.9476311698186013],
  ])("2F1(%d, %d; %d; %d) matches the reference", (a, b, c, z, expected) => {
    expect(hyp2f1(a, b, c, z) / expected).toBeCloseTo(1, 12);
  });

  it("satisfies closed forms", () => {
    for (const z of [-0.9, -0.3, 0.1, 0.5, 0.95]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 12);
      expect(hyp2f1(2.5, 0.7, 0.7, z)).toBeCloseTo((1 - z) ** -2.5, 10);
      const w = Math.sqrt(Math.abs(z));
      expect(hyp2f1(0.5, 0.5, 1.5, w * w)).toBeCloseTo(Math.asin(w) / w, 12);
    }
  });

  it("ends a terminating series at the polynomial", () => {
    // 2F1(-2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    expect(hyp2f1Series(-2, 3, 4, 0.5)).toBeCloseTo(1 - 0.75 + (12 * 0.25) / 20, 14);
  });

  it("rejects arguments outside the series' domain", () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/\|z\| must be below 1/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/c must not be/);
    expect(() => hyp2f1(Number.NaN, 1, 2, 0.5)).toThrow(/finite/);
  });
});
