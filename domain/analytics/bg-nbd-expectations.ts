// What a fitted BG/NBD model says about customers: probability alive and expected purchases (Fader, Hardie &
// Lee 2005, eqs. 7, 10 and 11). Their Gauss hypergeometric term, with z = t/(α+T+t), has two equal forms
// (Euler's transformation):
//   (1−z)^(r+x) · 2F1(r+x, b+x; a+b+x−1; z) = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z).
// The series converges without huge intermediate terms only when its numerator parameters are small next to
// the denominator, so each customer uses the form with the smaller numerators: the Euler form for the usual
// fitted parameters and any x (the printed form's terms grow like x^k before they shrink), the printed form
// when a is very large. The power is taken of (α+T)/(α+T+t) < 1 directly, so neither form can overflow.
import type { BgNbdParams } from "./bg-nbd";
import { hyp2f1Series } from "./special-functions";

interface SeriesForm {
  first: number;
  second: number;
  denominator: number;
  power: number;
}

/** Writes the chosen form for x repeat purchases into `form` (reused, so scoring allocates none). */
function chooseSeriesForm({ r, a, b }: BgNbdParams, x: number, form: SeriesForm): SeriesForm {
  const euler = Math.abs(a + b - 1 - r) + Math.abs(a - 1) <= Math.abs(r + x) + Math.abs(b + x);
  form.first = euler ? a + b - 1 - r : r + x;
  form.second = euler ? a - 1 : b + x;
  form.denominator = a + b + x - 1;
  form.power = euler ? a - 1 : r + x;
  return form;
}

const emptyForm = (): SeriesForm => ({ first: 0, second: 0, denominator: 0, power: 0 });

/**
 * P(alive | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). Exactly 1 when x = 0: the
 * model only lets customers drop out right after a repeat purchase.
 */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/** E[purchases in (T, T+t]] for a customer alive at T with x repeat purchases: eq. 10 without P(alive). */
function expectedIfAlive(params: BgNbdParams, x: number, alphaT: number, t: number): number {
  if (t === 0) return 0;
  const form = chooseSeriesForm(params, x, emptyForm());
  const series = hyp2f1Series(form.first, form.second, form.denominator, t / (alphaT + t));
  return (form.denominator / (params.a - 1)) * (1 - (alphaT / (alphaT + t)) ** form.power * series);
}

/** E[X(t)] for a customer just acquired (eq. 7): expected repeat purchases in their first t periods. */
export function expectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  checkTime(t);
  return expectedIfAlive(params, 0, params.alpha, t);
}

/** E[Y(t) | x, t_x, T] (eq. 10): expected purchases in the next t periods after the calibration end. */
export function expectedPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  checkTime(t);
  return probabilityAlive(params, x, tx, T) * expectedIfAlive(params, x, params.alpha + T, t);
}

/**
 * Expected cumulative repeat purchases across the customer base at each of `times` (eq. 11 summed over the
 * cohort): customer i, first buying at time s_i, contributes E[X(τ − s_i)]. Customers sharing a
 * first-purchase time are computed once.
 */
export function expectedCumulativeRepeatPurchases(
  params: BgNbdParams,
  firstPurchaseTimes: ArrayLike<number>,
  times: ArrayLike<number>,
): Float64Array {
  const cohorts = new Map<number, number>();
  for (let i = 0; i < firstPurchaseTimes.length; i++) {
    const s = firstPurchaseTimes[i] as number;
    cohorts.set(s, (cohorts.get(s) ?? 0) + 1);
  }
  const totals = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    const tau = times[k] as number;
    let total = 0;
    for (const [s, customers] of cohorts) {
      if (tau > s) total += customers * expectedIfAlive(params, 0, params.alpha, tau - s);
    }
    totals[k] = total;
  }
  return totals;
}

const CURVE_EPSILON = 1e-12;
const CURVE_MAX_TERMS = 100_000;

/**
 * A reusable evaluator for batch scoring: fills out[t−1] = E[Y(t) | alive at T, x] for t = 1..horizon, the
 * expected purchases of a customer known to be alive; multiply by probabilityAlive for E[Y(t) | x, t_x, T].
 * The hypergeometric series for all horizon points share their coefficients, so they are summed together in
 * one pass; points with smaller z converge first and drop out of the loop. Allocates only when created.
 */
export function createAliveCurve(
  params: BgNbdParams,
  horizon: number,
): (x: number, T: number, out: Float64Array) => void {
  if (!(Number.isInteger(horizon) && horizon >= 1)) {
    throw new RangeError(`horizon must be a whole number of periods ≥ 1, got ${horizon}`);
  }
  const { alpha, a } = params;
  const z = new Float64Array(horizon);
  const term = new Float64Array(horizon);
  const sum = new Float64Array(horizon);
  const form = emptyForm();
  return (x, T, out) => {
    const alphaT = alpha + T;
    chooseSeriesForm(params, x, form);
    const first = form.first;
    const second = form.second;
    const denominator = form.denominator;
    for (let j = 0; j < horizon; j++) {
      z[j] = (j + 1) / (alphaT + j + 1);
      term[j] = 1;
      sum[j] = 1;
    }
    let converged = 0;
    for (let k = 0; converged < horizon; k++) {
      if (k === CURVE_MAX_TERMS) {
        throw new RangeError(`BG/NBD expectation did not converge for x=${x}, T=${T}`);
      }
      const coefficient = ((first + k) * (second + k)) / ((denominator + k) * (k + 1));
      for (let j = converged; j < horizon; j++) {
        const next = (term[j] as number) * coefficient * (z[j] as number);
        term[j] = next;
        sum[j] = (sum[j] as number) + next;
      }
      while (converged < horizon) {
        const size = Math.abs(term[converged] as number);
        if (size === 0) converged++;
        else if (size > CURVE_EPSILON * Math.abs(sum[converged] as number)) break;
        else if (Math.abs(coefficient * (z[converged] as number)) < 1) converged++;
        else break;
      }
    }
    const scale = denominator / (a - 1);
    const power = form.power;
    for (let j = 0; j < horizon; j++) {
      out[j] = scale * (1 - (alphaT / (alphaT + j + 1)) ** power * (sum[j] as number));
    }
  };
}

function checkTime(t: number): void {
  if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`time t must be finite and ≥ 0, got ${t}`);
}
