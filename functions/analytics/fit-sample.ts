import { createHash } from "node:crypto";
import { type BgNbdParams, fitBgNbd, type ModelFit } from "../../domain/analytics/bg-nbd";
import { type RepeatBin, repeatHistogram } from "../../domain/analytics/bg-nbd-fit-check";
import { fitProblems } from "../../domain/analytics/fit-quality";
import { fitGammaGamma, type GammaGammaParams } from "../../domain/analytics/gamma-gamma";

// Fitting the two models on the member base, or above `cap` customers on a deterministic hash sample of it.
// The likelihoods are sums over customers, so a uniform sample of 200k gives parameters whose sampling error is
// far below the night-to-night drift of the base; fit time then stays flat (≈ seconds) while scoring covers
// everyone. Hashing the member id keeps the sample the same from night to night (no jitter in the parameters
// from re-drawing) and needs no random source.

export interface CustomerColumns {
  memberIds: string[];
  x: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  meanRepeatValue: Float64Array;
  totalValue: Float64Array;
}

export interface FittedModels {
  bgNbd: ModelFit<BgNbdParams>;
  gammaGamma: ModelFit<GammaGammaParams> & { repeatBuyers: number };
  /** Customers the fit used. */
  customers: number;
  sampled: boolean;
  /** The BG/NBD fit check: customers per repeat count, actual against expected. */
  repeatCheck: RepeatBin[];
}

export class AnalyticsFitError extends Error {
  override readonly name = "AnalyticsFitError";
}

/** A member's position in [0, 1) from the first 4 bytes of SHA-256 of their id. */
export function samplePosition(memberId: string): number {
  return createHash("sha256").update(memberId).digest().readUInt32BE(0) / 2 ** 32;
}

/** Indices of the customers the fit uses: all of them up to `cap`, else those whose hash falls below cap/n. */
export function fitSampleIndices(memberIds: readonly string[], cap: number): Uint32Array | undefined {
  if (memberIds.length <= cap) return undefined;
  const fraction = cap / memberIds.length;
  const picked: number[] = [];
  memberIds.forEach((id, i) => {
    if (samplePosition(id) < fraction) picked.push(i);
  });
  return Uint32Array.from(picked);
}

function pick<T extends Int32Array | Float64Array>(column: T, indices: Uint32Array | undefined): T {
  if (!indices) return column;
  const out = new (column.constructor as new (length: number) => T)(indices.length);
  indices.forEach((from, to) => {
    out[to] = column[from] as number;
  });
  return out;
}

/** Fits BG/NBD and Gamma-Gamma; throws AnalyticsFitError when either fit cannot be trusted for scoring. */
export function fitOnSample(customers: CustomerColumns, cap: number): FittedModels {
  const indices = fitSampleIndices(customers.memberIds, cap);
  const x = pick(customers.x, indices);
  const T = pick(customers.T, indices);
  const bgNbd = fitBgNbd({ x, tx: pick(customers.tx, indices), T });
  const meanValue = pick(customers.meanRepeatValue, indices);
  if (!x.some((repeats, i) => repeats > 0 && (meanValue[i] as number) > 0)) {
    throw new AnalyticsFitError(
      "Gamma-Gamma: no customer in the fit has a repeat purchase of positive value",
    );
  }
  const gammaGamma = fitGammaGamma({ x, meanValue });
  const problems = fitProblems({ bgNbd, gammaGamma });
  if (!(gammaGamma.params.q > 1)) {
    problems.push(`Gamma-Gamma q=${gammaGamma.params.q} ≤ 1: expected order value is unbounded`);
  }
  if (problems.length > 0) throw new AnalyticsFitError(`cannot score: ${problems.join("; ")}`);
  const repeatCheck = repeatHistogram(bgNbd.params, { x, T });
  return { bgNbd, gammaGamma, customers: x.length, sampled: indices !== undefined, repeatCheck };
}
