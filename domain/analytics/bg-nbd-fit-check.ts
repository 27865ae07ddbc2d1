import type { BgNbdParams } from "./bg-nbd";
import { lgamma } from "./special-functions";

// The BG/NBD's classic fit check (Fader, Hardie & Lee 2005, figure 2): how many customers made 0, 1, 2, …
// repeat purchases in their own observation period, against how many the fitted model expects. A model that
// fits the base puts the two bars of each bin close together; one that does not is visibly off.

const lnBeta = (p: number, q: number): number => lgamma(p) + lgamma(q) - lgamma(p + q);

/** P(X(t) = x): the chance that a customer makes x repeat purchases in t periods (eq. 8 of the paper). */
export function probabilityOfRepeats(params: BgNbdParams, t: number, x: number): number {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`x must be a whole number ≥ 0, got ${x}`);
  if (!(t >= 0)) throw new RangeError(`t must be ≥ 0, got ${t}`);
  if (t === 0) return x === 0 ? 1 : 0;
  const { r, alpha, a, b } = params;
  const lnStay = Math.log(alpha / (alpha + t));
  const lnMove = Math.log(t / (alpha + t));
  // NBD probability of j purchases in t while alive: Γ(r+j) / (Γ(r) j!) · (α/(α+t))^r · (t/(α+t))^j.
  const lnNbd = (j: number) => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * lnStay + j * lnMove;
  const lnB = lnBeta(a, b);
  let p = Math.exp(lnBeta(a, b + x) - lnB + lnNbd(x));
  if (x > 0) {
    let fewer = 0;
    for (let j = 0; j < x; j++) fewer += Math.exp(lnNbd(j));
    p += Math.exp(lnBeta(a + 1, b + x - 1) - lnB) * (1 - fewer);
  }
  return p;
}

export interface RepeatBin {
  /** "0", "1", … and the last bin "N+". */
  repeats: string;
  /** Customers with that many repeat purchases. */
  actual: number;
  /** What the model expects: Σ over customers of P(X(T_i) = k). */
  expected: number;
}

/** Actual against expected customers per repeat count, 0 to `maxRepeats`+ (default 7+). */
export function repeatHistogram(
  params: BgNbdParams,
  customers: { x: ArrayLike<number>; T: ArrayLike<number> },
  maxRepeats = 7,
): RepeatBin[] {
  const n = customers.x.length;
  const actual = new Array<number>(maxRepeats + 1).fill(0);
  const expected = new Array<number>(maxRepeats + 1).fill(0);
  // Customers share observation periods (whole weeks or days): each distinct T is evaluated once.
  const byT = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const x = customers.x[i] as number;
    actual[Math.min(x, maxRepeats)] = (actual[Math.min(x, maxRepeats)] as number) + 1;
    const T = customers.T[i] as number;
    let probabilities = byT.get(T);
    if (!probabilities) {
      probabilities = Array.from({ length: maxRepeats }, (_, k) => probabilityOfRepeats(params, T, k));
      byT.set(T, probabilities);
    }
    let below = 0;
    probabilities.forEach((p, k) => {
      expected[k] = (expected[k] as number) + p;
      below += p;
    });
    expected[maxRepeats] = (expected[maxRepeats] as number) + Math.max(0, 1 - below);
  }
  return actual.map((count, k) => ({
    repeats: k === maxRepeats ? `${maxRepeats}+` : String(k),
    actual: count,
    expected: Math.round((expected[k] as number) * 10) / 10,
  }));
}
