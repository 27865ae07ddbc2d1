// Customer lifetime value over a finite horizon:
//   CLV = margin × E[order value] × Σ_{t=1..H} (E[Y(t)] − E[Y(t−1)]) / (1 + d)^t
// where E[Y(t)] is the BG/NBD expected number of purchases in the first t periods after the calibration end,
// E[order value] the Gamma-Gamma conditional expectation, d the discount rate per period and E[Y(0)] = 0.
// Each period's expected purchases are discounted to its end.
import type { TimeUnit } from "./customer-summary";
import { DAYS_PER_UNIT } from "./customer-summary";

const DAYS_PER_YEAR = 365.25;

/** The per-period rate equivalent to an annual rate: (1 + annual)^(days per period / 365.25) − 1. */
export function periodDiscountRate(annualRate: number, unit: TimeUnit): number {
  if (!(annualRate > -1 && Number.isFinite(annualRate))) {
    throw new RangeError(`discount rate must be a finite number above −1, got ${annualRate}`);
  }
  return (1 + annualRate) ** (DAYS_PER_UNIT[unit] / DAYS_PER_YEAR) - 1;
}

/** 1 / (1 + d)^t for t = 1..horizon. */
export function discountFactors(horizon: number, ratePerPeriod: number): Float64Array {
  if (!(Number.isInteger(horizon) && horizon >= 1)) {
    throw new RangeError(`horizon must be a whole number of periods ≥ 1, got ${horizon}`);
  }
  if (!(ratePerPeriod > -1 && Number.isFinite(ratePerPeriod))) {
    throw new RangeError(`discount rate per period must be a finite number above −1, got ${ratePerPeriod}`);
  }
  const factors = new Float64Array(horizon);
  let factor = 1;
  for (let t = 0; t < horizon; t++) {
    factor /= 1 + ratePerPeriod;
    factors[t] = factor;
  }
  return factors;
}

/** Σ_t (E_t − E_{t−1}) · factor_t, given cumulative expected purchases E_1..E_H and their discount factors. */
export function discountedPurchases(cumulative: ArrayLike<number>, factors: ArrayLike<number>): number {
  if (cumulative.length !== factors.length) {
    throw new RangeError("CLV: need one discount factor per period of cumulative expected purchases");
  }
  let previous = 0;
  let total = 0;
  for (let t = 0; t < cumulative.length; t++) {
    const current = cumulative[t] as number;
    total += (current - previous) * (factors[t] as number);
    previous = current;
  }
  return total;
}

/** CLV from discounted expected purchases, expected order value and the margin (share of revenue kept). */
export function lifetimeValue(
  discountedExpectedPurchases: number,
  expectedOrderValue: number,
  margin = 1,
): number {
  return margin * expectedOrderValue * discountedExpectedPurchases;
}
