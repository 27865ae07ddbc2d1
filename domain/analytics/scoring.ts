// Batch scoring: for every customer in a calibration summary, P(alive), expected purchases over the horizon,
// expected order value, discounted CLV and RFM segment. Results come back in columns.
// Speed: E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · E[Y(t) | alive at T, x], and the second factor depends
// only on (x, T). Customers measured in whole days share few (x, T) pairs, so that factor's horizon value and
// discounted sum are computed once per pair and remembered for the batch; each other customer then costs one
// P(alive) evaluation.
import type { BgNbdParams } from "./bg-nbd";
import { createAliveCurve, probabilityAlive } from "./bg-nbd-expectations";
import { discountedPurchases, discountFactors, lifetimeValue } from "./clv";
import type { CustomerSummary } from "./customer-summary";
import type { GammaGammaParams } from "./gamma-gamma";
import { expectedOrderValue } from "./gamma-gamma";
import type { RfmConfigInput, RfmResult } from "./rfm";
import { rfmSegments } from "./rfm";

// x below 2^21 packs with a T index below 2^31 into one integer under 2^53, so the key is exact.
const PACKED_X_LIMIT = 2 ** 21;

export type ScoringInput = Pick<CustomerSummary, "x" | "tx" | "T" | "meanRepeatValue" | "totalValue">;

export interface ScoringOptions {
  /** Whole periods (in the summary's time unit) to forecast over. */
  horizon: number;
  /** Discount rate per period (see periodDiscountRate to convert an annual rate). */
  discountRate: number;
  /** Share of revenue kept as value (default 1: CLV in revenue). */
  margin?: number;
  rfm?: RfmConfigInput;
}

export interface CustomerScores {
  pAlive: Float64Array;
  /** Expected purchases in the next `horizon` periods. */
  expectedPurchases: Float64Array;
  expectedOrderValue: Float64Array;
  clv: Float64Array;
  rfm: RfmResult;
}

export function scoreCustomers(
  input: ScoringInput,
  models: { bgNbd: BgNbdParams; gammaGamma: GammaGammaParams },
  options: ScoringOptions,
): CustomerScores {
  const n = input.x.length;
  const margin = options.margin ?? 1;
  if (!(margin >= 0 && Number.isFinite(margin)))
    throw new RangeError(`margin must be finite and ≥ 0, got ${margin}`);
  const factors = discountFactors(options.horizon, options.discountRate);
  const aliveCurve = createAliveCurve(models.bgNbd, options.horizon);
  const curve = new Float64Array(options.horizon);
  // (x, T) → slot, keyed by T's index and x packed into one exact number; ifAlive[slot] holds
  // E[Y(horizon) | alive] and ifAlive[slot + 1] the discounted purchases if alive.
  const tIndex = new Map<number, number>();
  const pairs = new Map<number, number>();
  const ifAlive: number[] = [];
  const scores = {
    pAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    expectedOrderValue: new Float64Array(n),
    clv: new Float64Array(n),
  };
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = input.x[i] as number;
    const tx = input.tx[i] as number;
    const T = input.T[i] as number;
    if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && tx <= T)) {
      throw new RangeError(
        `scoring: customer ${i} needs whole x ≥ 0 and 0 ≤ t_x ≤ T, got (${x}, ${tx}, ${T})`,
      );
    }
    let t = tIndex.get(T);
    if (t === undefined) {
      t = tIndex.size;
      tIndex.set(T, t);
    }
    const key = x < PACKED_X_LIMIT ? t * PACKED_X_LIMIT + x : -1;
    let slot = pairs.get(key);
    if (slot === undefined) {
      aliveCurve(x, T, curve);
      slot = ifAlive.length;
      ifAlive.push(curve[options.horizon - 1] as number, discountedPurchases(curve, factors));
      if (key >= 0) pairs.set(key, slot);
    }
    const alive = probabilityAlive(models.bgNbd, x, tx, T);
    const value = expectedOrderValue(models.gammaGamma, x, input.meanRepeatValue[i] as number);
    scores.pAlive[i] = alive;
    scores.expectedPurchases[i] = alive * (ifAlive[slot] as number);
    scores.expectedOrderValue[i] = value;
    scores.clv[i] = lifetimeValue(alive * (ifAlive[slot + 1] as number), value, margin);
    recency[i] = T - tx;
    frequency[i] = x + 1;
  }
  const rfm = rfmSegments({ recency, frequency, monetary: input.totalValue }, options.rfm);
  return { ...scores, rfm };
}
