// Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value"). A customer's
// order values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers; fitted on repeat buyers' mean repeat
// value m_x.
import { fitLogParams, type ModelFit } from "./log-params";
import { lgamma } from "./special-functions";

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaData {
  /** Repeat purchases per customer; only customers with x > 0 and m_x > 0 enter the fit. */
  x: ArrayLike<number>;
  /** Mean value of each customer's repeat purchases (m_x). */
  meanValue: ArrayLike<number>;
}

interface Buyers {
  count: number;
  /** Distinct x values and each buyer's index into them, so lgamma(px + q) is taken once per x. */
  xs: Float64Array;
  buyerX: Int32Array;
  meanValue: Float64Array;
  /** Sum over buyers of ln m_x and of x·ln(x·m_x) — the parts of the likelihood that need no parameters. */
  sumLogMean: number;
  sumXLogXMean: number;
}

function repeatBuyers(data: GammaGammaData): Buyers {
  if (data.meanValue.length !== data.x.length) {
    throw new RangeError("Gamma-Gamma: x and mean value must have one entry per customer");
  }
  const xIndex = new Map<number, number>();
  const buyerX: number[] = [];
  const meanValue: number[] = [];
  let sumLogMean = 0;
  let sumXLogXMean = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i] as number;
    const m = data.meanValue[i] as number;
    if (!(x > 0 && m > 0 && Number.isFinite(m))) continue;
    let index = xIndex.get(x);
    if (index === undefined) {
      index = xIndex.size;
      xIndex.set(x, index);
    }
    buyerX.push(index);
    meanValue.push(m);
    sumLogMean += Math.log(m);
    sumXLogXMean += x * Math.log(x * m);
  }
  return {
    count: meanValue.length,
    xs: Float64Array.from(xIndex.keys()),
    buyerX: Int32Array.from(buyerX),
    meanValue: Float64Array.from(meanValue),
    sumLogMean,
    sumXLogXMean,
  };
}

/**
 * ln f(m_x | x) = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m_x + px ln x − (px+q) ln(γ + x m_x),
 * summed over repeat buyers; (px−1) ln m_x + px ln x is regrouped as p·x·ln(x m_x) − ln m_x.
 */
function buyersLogLikelihood(buyers: Buyers, { p, q, gamma }: GammaGammaParams): number {
  const perX = new Float64Array(buyers.xs.length);
  for (let j = 0; j < buyers.xs.length; j++) {
    const px = p * (buyers.xs[j] as number);
    perX[j] = lgamma(px + q) - lgamma(px);
  }
  let total = buyers.count * (q * Math.log(gamma) - lgamma(q)) + p * buyers.sumXLogXMean - buyers.sumLogMean;
  for (let i = 0; i < buyers.count; i++) {
    const j = buyers.buyerX[i] as number;
    const x = buyers.xs[j] as number;
    total += (perX[j] as number) - (p * x + q) * Math.log(gamma + x * (buyers.meanValue[i] as number));
  }
  return total;
}

/** Gamma-Gamma log-likelihood over the repeat buyers in `data`. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: GammaGammaData): number {
  return buyersLogLikelihood(repeatBuyers(data), params);
}

/**
 * Maximum-likelihood fit by Nelder–Mead over ln p, ln q, ln(γ/γ₀), starting at p = q = 1 and γ = γ₀, the mean
 * of m_x. Scaling γ by γ₀ makes the search independent of the currency unit (see log-params.ts for the search
 * box).
 */
export function fitGammaGamma(data: GammaGammaData): ModelFit<GammaGammaParams> & { repeatBuyers: number } {
  const buyers = repeatBuyers(data);
  if (buyers.count === 0)
    throw new RangeError("Gamma-Gamma: cannot fit without repeat buyers of positive value");
  const gammaScale = buyers.meanValue.reduce((sum, m) => sum + m, 0) / buyers.count;
  const toParams = (theta: readonly number[]): GammaGammaParams => ({
    p: Math.exp(theta[0] as number),
    q: Math.exp(theta[1] as number),
    gamma: gammaScale * Math.exp(theta[2] as number),
  });
  return {
    ...fitLogParams(3, toParams, (params) => buyersLogLikelihood(buyers, params)),
    repeatBuyers: buyers.count,
  };
}

/**
 * Conditional expected order value E[Z | x, m_x] = (γ + x·m_x)·p / (p·x + q − 1): a weighted mix of the
 * population mean pγ/(q−1) and the customer's own m_x. With x = 0 it is the population mean. Needs q > 1.
 */
export function expectedOrderValue(params: GammaGammaParams, x: number, meanValue: number): number {
  if (!(params.q > 1))
    throw new RangeError(`Gamma-Gamma: q must exceed 1 for a finite mean, got ${params.q}`);
  return (params.p * (params.gamma + x * meanValue)) / (params.p * x + params.q - 1);
}
