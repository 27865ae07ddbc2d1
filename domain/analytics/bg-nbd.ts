// BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): maximum-likelihood fit of
// r, α, a, b from per-customer (x, t_x, T). Purchases follow Poisson(λ) with λ ~ Gamma(r, α); after each
// purchase the customer drops out with probability p ~ Beta(a, b).
import { fitLogParams, type ModelFit } from "./log-params";
import { lgamma } from "./special-functions";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdData {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
}

export type { ModelFit } from "./log-params";

/**
 * The data folded for fast repeated likelihood evaluation: customers with equal (x, t_x, T) become one
 * weighted row, and the distinct x, t_x and T values are indexed so each log and lgamma is taken once per
 * evaluation.
 */
interface FoldedData {
  customers: number;
  xs: Float64Array;
  txs: Float64Array;
  Ts: Float64Array;
  rowX: Int32Array;
  rowTx: Int32Array;
  rowT: Int32Array;
  weight: Float64Array;
}

function fold(data: BgNbdData): FoldedData {
  const customers = data.x.length;
  if (data.tx.length !== customers || data.T.length !== customers) {
    throw new RangeError("BG/NBD: x, t_x and T must have one entry per customer");
  }
  const xIndex = new Map<number, number>();
  const txIndex = new Map<number, number>();
  const tIndex = new Map<number, number>();
  const rowIndex = new Map<string, number>();
  const rows = { x: [] as number[], tx: [] as number[], T: [] as number[], weight: [] as number[] };
  const indexOf = (map: Map<number, number>, value: number): number => {
    let index = map.get(value);
    if (index === undefined) {
      index = map.size;
      map.set(value, index);
    }
    return index;
  };
  for (let i = 0; i < customers; i++) {
    const x = data.x[i] as number;
    const tx = data.tx[i] as number;
    const T = data.T[i] as number;
    if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && T >= tx && Number.isFinite(T))) {
      throw new RangeError(
        `BG/NBD: customer ${i} needs whole x ≥ 0 and 0 ≤ t_x ≤ T, got (${x}, ${tx}, ${T})`,
      );
    }
    const key = `${x}|${tx}|${T}`;
    const row = rowIndex.get(key);
    if (row !== undefined) {
      rows.weight[row] = (rows.weight[row] as number) + 1;
      continue;
    }
    rowIndex.set(key, rows.weight.length);
    rows.x.push(indexOf(xIndex, x));
    rows.tx.push(indexOf(txIndex, tx));
    rows.T.push(indexOf(tIndex, T));
    rows.weight.push(1);
  }
  return {
    customers,
    xs: Float64Array.from(xIndex.keys()),
    txs: Float64Array.from(txIndex.keys()),
    Ts: Float64Array.from(tIndex.keys()),
    rowX: Int32Array.from(rows.x),
    rowTx: Int32Array.from(rows.tx),
    rowT: Int32Array.from(rows.T),
    weight: Float64Array.from(rows.weight),
  };
}

/**
 * Log-likelihood from the paper, evaluated in log space so large x cannot overflow:
 * ln L = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *        + ln[ (α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+t_x)^−(r+x) ].
 */
function foldedLogLikelihood(folded: FoldedData, { r, alpha, a, b }: BgNbdParams): number {
  const xTerm = new Float64Array(folded.xs.length);
  const dropTerm = new Float64Array(folded.xs.length);
  let zeroX = -1;
  const constant = lgamma(a + b) - lgamma(b) - lgamma(r) + r * Math.log(alpha);
  const logA = Math.log(a);
  for (let j = 0; j < folded.xs.length; j++) {
    const x = folded.xs[j] as number;
    xTerm[j] = constant + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
    if (x === 0) zeroX = j;
    else dropTerm[j] = logA - Math.log(b + x - 1);
  }
  const logAlphaT = folded.Ts.map((T) => Math.log(alpha + T));
  const logAlphaTx = folded.txs.map((tx) => Math.log(alpha + tx));
  let total = 0;
  for (let i = 0; i < folded.weight.length; i++) {
    const j = folded.rowX[i] as number;
    const shape = r + (folded.xs[j] as number);
    const aliveAtT = -shape * (logAlphaT[folded.rowT[i] as number] as number);
    let logMix = aliveAtT;
    if (j !== zeroX) {
      // log(e^u + e^v) = max + log1p(e^(min − max)): one exp and one log, and no overflow for large x.
      const droppedAfterTx =
        (dropTerm[j] as number) - shape * (logAlphaTx[folded.rowTx[i] as number] as number);
      logMix =
        Math.max(aliveAtT, droppedAfterTx) + Math.log1p(Math.exp(-Math.abs(aliveAtT - droppedAfterTx)));
    }
    total += (folded.weight[i] as number) * ((xTerm[j] as number) + logMix);
  }
  return total;
}

/** Total BG/NBD log-likelihood of the customers' (x, t_x, T) under `params`. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: BgNbdData): number {
  return foldedLogLikelihood(fold(data), params);
}

/**
 * Maximum-likelihood fit by Nelder–Mead over ln r, ln(α/α₀), ln a, ln b, starting at r = a = b = 1 and α =
 * α₀, where α₀ makes the prior mean purchase rate r/α match the sample's (Σx / ΣT). Scaling α by α₀ makes the
 * search independent of the time unit, so one search box (see log-params.ts) suits every parameter.
 */
export function fitBgNbd(data: BgNbdData): ModelFit<BgNbdParams> {
  const folded = fold(data);
  if (folded.customers === 0) throw new RangeError("BG/NBD: cannot fit without customers");
  let purchases = 0;
  let exposure = 0;
  for (let i = 0; i < folded.customers; i++) {
    purchases += data.x[i] as number;
    exposure += data.T[i] as number;
  }
  const alphaScale = exposure > 0 && purchases > 0 ? exposure / purchases : 1;
  const toParams = (theta: readonly number[]): BgNbdParams => ({
    r: Math.exp(theta[0] as number),
    alpha: alphaScale * Math.exp(theta[1] as number),
    a: Math.exp(theta[2] as number),
    b: Math.exp(theta[3] as number),
  });
  return fitLogParams(4, toParams, (params) => foldedLogLikelihood(folded, params));
}
