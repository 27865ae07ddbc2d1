import { describe, expect, it } from "vitest";
import {
  expectedOrderValue,
  fitGammaGamma,
  gammaGammaLogLikelihood,
} from "../../../domain/analytics/gamma-gamma";
import { lgamma } from "../../../domain/analytics/special-functions";
import { seededRandom } from "./seeded-random";

const paper = { p: 6.25, q: 3.74, gamma: 15.44 };

describe("expectedOrderValue", () => {
  it("weights the population mean and the customer's own mean by p·x against q − 1", () => {
    const population = (paper.p * paper.gamma) / (paper.q - 1);
    const own = 40;
    const x = 3;
    const weight = (paper.p * x) / (paper.p * x + paper.q - 1);
    expect(expectedOrderValue(paper, x, own)).toBeCloseTo((1 - weight) * population + weight * own, 12);
  });

  it("gives a customer without repeat purchases the population mean pγ/(q−1)", () => {
    expect(expectedOrderValue(paper, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
  });

  it("refuses q ≤ 1, where the mean does not exist", () => {
    expect(() => expectedOrderValue({ p: 2, q: 1, gamma: 3 }, 1, 10)).toThrow(/q must exceed 1/);
  });
});

describe("Gamma-Gamma likelihood and fit", () => {
  it("matches the density written out term by term", () => {
    const [x, m] = [4, 23.5];
    const { p, q, gamma } = paper;
    const direct =
      lgamma(p * x + q) -
      lgamma(p * x) -
      lgamma(q) +
      q * Math.log(gamma) +
      (p * x - 1) * Math.log(m) +
      p * x * Math.log(x) -
      (p * x + q) * Math.log(gamma + m * x);
    expect(gammaGammaLogLikelihood(paper, { x: [x], meanValue: [m] })).toBeCloseTo(direct, 10);
  });

  it("leaves out customers without repeat purchases or with no positive value", () => {
    const one = gammaGammaLogLikelihood(paper, { x: [4], meanValue: [23.5] });
    expect(gammaGammaLogLikelihood(paper, { x: [4, 0, 2], meanValue: [23.5, 0, 0] })).toBe(one);
  });

  it("recovers the parameters that generated simulated spend", () => {
    const random = seededRandom(3);
    const gammaDraw = (shape: number, rate: number): number => {
      // Whole shapes only: a Gamma(k, rate) draw is a sum of k exponential draws.
      let total = 0;
      for (let k = 0; k < shape; k++) total -= Math.log(random());
      return total / rate;
    };
    const truth = { p: 4, q: 5, gamma: 20 };
    const x: number[] = [];
    const meanValue: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const nu = gammaDraw(truth.q, truth.gamma);
      const purchases = 1 + (i % 6);
      // The mean of x Gamma(p, ν) order values is Gamma(p·x, ν·x).
      meanValue.push(gammaDraw(truth.p * purchases, nu * purchases));
      x.push(purchases);
    }
    const fit = fitGammaGamma({ x, meanValue });
    expect(fit.repeatBuyers).toBe(20_000);
    // p and γ trade off against each other (about 5% sampling spread each at this size); their combination,
    // the population mean order value pγ/(q−1), is pinned much more tightly.
    expect(Math.abs(fit.params.p / truth.p - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.q / truth.q - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.gamma / truth.gamma - 1)).toBeLessThan(0.15);
    const mean = ({ p, q, gamma }: typeof truth): number => (p * gamma) / (q - 1);
    expect(Math.abs(mean(fit.params) / mean(truth) - 1)).toBeLessThan(0.02);
  });

  it("needs at least one repeat buyer", () => {
    expect(() => fitGammaGamma({ x: [0, 0], meanValue: [0, 0] })).toThrow(/without repeat buyers/);
  });
});
