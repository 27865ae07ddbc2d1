import { nelderMead } from "./nelder-mead";

// The fits search over ln-parameters made scale-free (α and γ are divided by a scale taken from the data),
// inside a box of ±ln(1e6). The published fits sit far inside it (CDNOW: 0.24 to 15); an estimate that runs
// to the edge means the data cannot pin the parameter — typically no heterogeneity to measure — and the
// likelihood flattens into a ridge there, so the fit stops at the edge and says so. The box also keeps lgamma
// differences precise.
const LOG_PARAM_BOUND = Math.log(1e6);
const NEAR_BOUND = 0.01;

/** Whether ln-parameters lie inside the search box; outside it the objective is +∞. */
export function insideSearchBox(theta: readonly number[]): boolean {
  return theta.every((value) => Math.abs(value) <= LOG_PARAM_BOUND);
}

/** Whether any ln-parameter ended at the edge of the box: a degenerate fit, not an interior optimum. */
export function atSearchBound(theta: readonly number[]): boolean {
  return theta.some((value) => Math.abs(value) >= LOG_PARAM_BOUND - NEAR_BOUND);
}

export interface ModelFit<P> {
  params: P;
  logLikelihood: number;
  evaluations: number;
  converged: boolean;
  /** A parameter ran to the edge of the search box: the data cannot identify the model. */
  atBound: boolean;
}

/**
 * The maximum-likelihood fit over `dimensions` ln-parameters (Nelder-Mead from all zeros, i.e. every
 * parameter at its scale): `toParams` maps ln-parameters to the model's, `logLikelihood` scores them.
 */
export function fitLogParams<P>(
  dimensions: number,
  toParams: (theta: readonly number[]) => P,
  logLikelihood: (params: P) => number,
): ModelFit<P> {
  const result = nelderMead(
    (theta) => (insideSearchBox(theta) ? -logLikelihood(toParams(theta)) : Number.POSITIVE_INFINITY),
    new Array<number>(dimensions).fill(0),
  );
  return {
    params: toParams(result.x),
    logLikelihood: -result.value,
    evaluations: result.evaluations,
    converged: result.converged,
    atBound: atSearchBound(result.x),
  };
}
