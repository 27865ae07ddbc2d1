import { describe, expect, it } from "vitest";
import { bgNbdLogLikelihood, fitBgNbd } from "../../../domain/analytics/bg-nbd";
import {
  createAliveCurve,
  expectedCumulativeRepeatPurchases,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  probabilityAlive,
} from "../../../domain/analytics/bg-nbd-expectations";
import { seededRandom } from "./seeded-random";

const paper = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

// References from mpmath using the paper's formulas as printed (no Euler transformation), 30 digits.
describe("BG/NBD expectations", () => {
  it.each([
    [2, 30.43, 38.86, 39, 1.2260281747671444, 0.726578570080673],
    [0, 0, 38.86, 52, 0.2520730222824589, 1],
    [7, 29.43, 35.71, 39, 4.1793389341151235, 0.7559130761325779],
    [50, 38, 39, 10, 10.166793904820585, 0.9526300931829879],
  ])("x=%d, t_x=%d, T=%d: E[Y(%d)] and P(alive) match the reference", (x, tx, T, t, expected, alive) => {
    expect(expectedPurchases(paper, x, tx, T, t)).toBeCloseTo(expected, 11);
    expect(probabilityAlive(paper, x, tx, T)).toBeCloseTo(alive, 13);
  });

  it("switches to the printed series form when a is very large (Euler's form would overflow)", () => {
    const nearlyFixedDropout = { r: 0.5, alpha: 3, a: 100_000, b: 300_000 };
    expect(expectedPurchases(nearlyFixedDropout, 3, 10, 20, 15)).toBeCloseTo(0.47530951769575797, 10);
    expect(expectedPurchases(nearlyFixedDropout, 0, 0, 20, 15)).toBeCloseTo(0.29095576419102775, 10);
    const curve = new Float64Array(15);
    createAliveCurve(nearlyFixedDropout, 15)(0, 20, curve);
    expect(curve[14]).toBeCloseTo(0.29095576419102775, 10);
  });

  it("reproduces the paper's worked example: 1.226 purchases in the next 39 weeks", () => {
    expect(expectedPurchases(paper, 2, 30.43, 38.86, 39)).toBeCloseTo(1.226, 3);
  });

  it("gives P(alive) = 1 to every customer without repeat purchases, whatever T", () => {
    for (const T of [0, 1, 39, 500]) expect(probabilityAlive(paper, 0, 0, T)).toBe(1);
  });

  it.each([
    [1, 0.05326789117165828],
    [39, 1.196723193320817],
    [78, 1.8605190579427684],
  ])("expects %d-period purchases of a new customer to match the reference", (t, expected) => {
    expect(expectedPurchasesNewCustomer(paper, t)).toBeCloseTo(expected, 12);
    expect(expectedPurchasesNewCustomer(paper, 0)).toBe(0);
  });

  it("sums new-customer expectations over the cohort for the tracking curve", () => {
    const totals = expectedCumulativeRepeatPurchases(paper, [0, 0, 10, 30], [5, 20, 40]);
    const e = (t: number): number => expectedPurchasesNewCustomer(paper, t);
    expect(totals[0]).toBeCloseTo(2 * e(5), 12);
    expect(totals[1]).toBeCloseTo(2 * e(20) + e(10), 12);
    expect(totals[2]).toBeCloseTo(2 * e(40) + e(30) + e(10), 12);
  });

  it("fills a horizon curve equal to P(alive)-free point evaluations", () => {
    const curve = new Float64Array(52);
    const fill = createAliveCurve(paper, 52);
    for (const [x, tx, T] of [
      [0, 0, 38.86],
      [3, 20, 31],
      [40, 10, 12],
    ] as const) {
      fill(x, T, curve);
      const alive = probabilityAlive(paper, x, tx, T);
      for (const t of [1, 13, 39, 52]) {
        expect(alive * (curve[t - 1] as number)).toBeCloseTo(expectedPurchases(paper, x, tx, T, t), 10);
      }
    }
  });

  it("stays finite for a customer with 10,000 repeat purchases", () => {
    for (const [tx, T] of [
      [51.9, 52],
      [10, 52],
      [52, 52],
    ] as const) {
      const alive = probabilityAlive(paper, 10_000, tx, T);
      expect(alive).toBeGreaterThanOrEqual(0);
      expect(alive).toBeLessThanOrEqual(1);
      const expected = expectedPurchases(paper, 10_000, tx, T, 52);
      expect(Number.isFinite(expected)).toBe(true);
      expect(expected).toBeGreaterThanOrEqual(0);
    }
    // Alive and buying ~190 a week: the forecast follows the posterior rate (r+x)/(α+T) ≈ 177 a week, a
    // little less for the chance of dropping out.
    const busy = expectedPurchases(paper, 10_000, 52, 52, 1);
    expect(busy).toBeGreaterThan(150);
    expect(busy).toBeLessThan(10_000.243 / 56.414);
    expect(probabilityAlive(paper, 10_000, 10, 52)).toBe(0);
    const ll = bgNbdLogLikelihood(paper, { x: [10_000, 0], tx: [51.9, 0], T: [52, 40] });
    expect(Number.isFinite(ll)).toBe(true);
  });

  it("rejects a negative forecast period", () => {
    expect(() => expectedPurchases(paper, 1, 1, 2, -1)).toThrow(/time t/);
    expect(() => createAliveCurve(paper, 0)).toThrow(/horizon/);
  });
});

/** Draws (x, t_x, T) from the BG/NBD generative story for `customers` customers observed for T each. */
function simulate(params: typeof paper, customers: number, seed: number) {
  const random = seededRandom(seed);
  const gamma = (shape: number, rate: number): number => {
    // Marsaglia–Tsang, with the shape < 1 boost.
    const boost = shape < 1 ? random() ** (1 / shape) : 1;
    const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
    for (;;) {
      const u1 = random();
      const u2 = random();
      const n = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      const v = (1 + n / Math.sqrt(9 * d)) ** 3;
      if (v > 0 && Math.log(random()) < 0.5 * n * n + d - d * v + d * Math.log(v))
        return (boost * d * v) / rate;
    }
  };
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  for (let i = 0; i < customers; i++) {
    const lambda = gamma(params.r, params.alpha);
    const g1 = gamma(params.a, 1);
    const p = g1 / (g1 + gamma(params.b, 1));
    const horizon = 20 + (i % 20);
    let time = 0;
    let purchases = 0;
    let last = 0;
    for (;;) {
      time += -Math.log(random()) / lambda;
      if (time > horizon) break;
      purchases++;
      last = time;
      if (random() < p) break;
    }
    x.push(purchases);
    tx.push(last);
    T.push(horizon);
  }
  return { x, tx, T };
}

describe("fitBgNbd", () => {
  it("recovers the parameters that generated a large simulated base", () => {
    const truth = { r: 0.5, alpha: 3, a: 0.8, b: 2.5 };
    const fit = fitBgNbd(simulate(truth, 20_000, 7));
    expect(fit.converged).toBe(true);
    expect(fit.params.r / truth.r).toBeCloseTo(1, 1);
    expect(fit.params.alpha / truth.alpha).toBeCloseTo(1, 1);
    expect(Math.abs(fit.params.a / truth.a - 1)).toBeLessThan(0.2);
    expect(Math.abs(fit.params.b / truth.b - 1)).toBeLessThan(0.25);
  });

  it("reaches a log-likelihood at least as high as the truth's", () => {
    const truth = { r: 0.5, alpha: 3, a: 0.8, b: 2.5 };
    const data = simulate(truth, 5_000, 11);
    const fit = fitBgNbd(data);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(truth, data));
    expect(fit.logLikelihood).toBeCloseTo(bgNbdLogLikelihood(fit.params, data), 8);
  });

  it("rejects impossible customer histories", () => {
    expect(() => fitBgNbd({ x: [1.5], tx: [1], T: [2] })).toThrow(/whole x/);
    expect(() => fitBgNbd({ x: [1], tx: [3], T: [2] })).toThrow(/t_x ≤ T/);
    expect(() => fitBgNbd({ x: [1, 2], tx: [1], T: [2, 3] })).toThrow(/one entry per customer/);
  });
});
