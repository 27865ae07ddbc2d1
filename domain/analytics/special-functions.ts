// Special functions the BG/NBD and Gamma-Gamma models need. Written here because no maintained npm package
// could be added; each is checked against reference values in test/unit/analytics/special-functions.test.ts.

// Lanczos approximation, g = 7, n = 9: about 15 significant digits for positive arguments.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Natural log of |Γ(x)|. Throws at the poles (0, -1, -2, ...). */
export function lgamma(x: number): number {
  if (!Number.isFinite(x)) {
    if (x === Number.POSITIVE_INFINITY) return x;
    throw new RangeError(`lgamma: argument must be a number, got ${x}`);
  }
  if (x <= 0 && Number.isInteger(x)) throw new RangeError(`lgamma: Γ has a pole at ${x}`);
  if (x < 0.5) {
    // Reflection keeps the Lanczos sum in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  const y = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

const SERIES_EPSILON = 1e-15;
const SERIES_MAX_TERMS = 1_000_000;

/**
 * Gauss hypergeometric series 2F1(a, b; c; z) summed term by term, for |z| < 1. Stops once a term is
 * negligible and the terms are shrinking; convergence slows as |z| → 1 (roughly log(ε)/log|z| terms).
 */
export function hyp2f1Series(a: number, b: number, c: number, z: number): number {
  checkHyp2f1Arguments(a, b, c, z);
  let term = 1;
  let sum = 1;
  for (let k = 0; k < SERIES_MAX_TERMS; k++) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0 || (Math.abs(term) <= SERIES_EPSILON * Math.abs(sum) && Math.abs(ratio) < 1)) return sum;
  }
  throw new RangeError(`hyp2f1: series did not converge for a=${a}, b=${b}, c=${c}, z=${z}`);
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real |z| < 1. Applies Euler's transformation 2F1(a,b;c;z)
 * = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z) when that makes the numerator parameters smaller, which keeps the terms
 * bounded (large a and b would otherwise make them grow before they shrink).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  checkHyp2f1Arguments(a, b, c, z);
  if (Math.abs(c - a) + Math.abs(c - b) < Math.abs(a) + Math.abs(b)) {
    return (1 - z) ** (c - a - b) * hyp2f1Series(c - a, c - b, c, z);
  }
  return hyp2f1Series(a, b, c, z);
}

function checkHyp2f1Arguments(a: number, b: number, c: number, z: number): void {
  if (![a, b, c, z].every(Number.isFinite)) {
    throw new RangeError(`hyp2f1: arguments must be finite, got a=${a}, b=${b}, c=${c}, z=${z}`);
  }
  if (!(Math.abs(z) < 1)) throw new RangeError(`hyp2f1: |z| must be below 1 for the series, got z=${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1: c must not be 0 or a negative integer`);
}
