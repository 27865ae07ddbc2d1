// Derivative-free minimiser for the model fits (4 and 3 parameters). Callers optimise in log-parameter space
// so the model parameters stay positive without constraints.

export interface NelderMeadOptions {
  /** Edge length of the starting simplex along each axis (default 0.5). */
  initialStep?: number;
  /** Stop when every vertex value is within this of the best (default 1e-8). */
  fTolerance?: number;
  /** ... and every vertex lies within this of the best along every axis (default 1e-6). */
  xTolerance?: number;
  /** Hard cap on objective evaluations across all restarts (default 20,000). */
  maxEvaluations?: number;
  /** Fresh simplices built around the best point after convergence, against a collapsed simplex (default 1). */
  restarts?: number;
}

export interface NelderMeadResult {
  x: number[];
  value: number;
  evaluations: number;
  converged: boolean;
}

// Standard coefficients: reflection, expansion, contraction, shrink.
const REFLECT = 1;
const EXPAND = 2;
const CONTRACT = 0.5;
const SHRINK = 0.5;

/** Minimises `f` from `x0`. Non-finite objective values count as +∞, so the search steps away from them. */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  if (x0.length === 0 || !x0.every(Number.isFinite)) {
    throw new RangeError("nelderMead: the starting point must be a non-empty vector of finite numbers");
  }
  const settings = {
    initialStep: options.initialStep ?? 0.5,
    fTolerance: options.fTolerance ?? 1e-8,
    xTolerance: options.xTolerance ?? 1e-6,
    maxEvaluations: options.maxEvaluations ?? 20_000,
  };
  let evaluations = 0;
  const objective = (x: readonly number[]): number => {
    evaluations++;
    const value = f(x);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };

  let best = search(objective, [...x0], settings, () => evaluations);
  for (let restart = 0; restart < (options.restarts ?? 1) && best.converged; restart++) {
    const again = search(objective, best.x, settings, () => evaluations);
    const improved = best.value - again.value > settings.fTolerance;
    if (again.value <= best.value) best = again;
    if (!improved) break;
  }
  return { ...best, evaluations };
}

interface SearchSettings {
  initialStep: number;
  fTolerance: number;
  xTolerance: number;
  maxEvaluations: number;
}

function search(
  objective: (x: readonly number[]) => number,
  start: number[],
  settings: SearchSettings,
  evaluationsSoFar: () => number,
): { x: number[]; value: number; converged: boolean } {
  const n = start.length;
  const simplex: number[][] = [start];
  for (let i = 0; i < n; i++) {
    const vertex = [...start];
    vertex[i] = (vertex[i] as number) + settings.initialStep;
    simplex.push(vertex);
  }
  const values = simplex.map(objective);
  const order = simplex.map((_, i) => i);

  const at = (i: number): number[] => simplex[order[i] as number] as number[];
  const valueAt = (i: number): number => values[order[i] as number] as number;
  const replaceWorst = (x: number[], value: number): void => {
    const worst = order[n] as number;
    simplex[worst] = x;
    values[worst] = value;
  };

  while (true) {
    order.sort((i, j) => (values[i] as number) - (values[j] as number));
    if (hasConverged(simplex, values, order, settings)) {
      return { x: at(0), value: valueAt(0), converged: true };
    }
    if (evaluationsSoFar() >= settings.maxEvaluations) {
      return { x: at(0), value: valueAt(0), converged: false };
    }

    const centroid = new Array<number>(n).fill(0);
    for (let v = 0; v < n; v++) {
      const vertex = at(v);
      for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + (vertex[i] as number) / n;
    }
    const worst = at(n);
    const toward = (coefficient: number): number[] =>
      centroid.map((c, i) => c + coefficient * (c - (worst[i] as number)));

    const reflected = toward(REFLECT);
    const reflectedValue = objective(reflected);
    if (reflectedValue < valueAt(0)) {
      const expanded = toward(EXPAND);
      const expandedValue = objective(expanded);
      if (expandedValue < reflectedValue) replaceWorst(expanded, expandedValue);
      else replaceWorst(reflected, reflectedValue);
      continue;
    }
    if (reflectedValue < valueAt(n - 1)) {
      replaceWorst(reflected, reflectedValue);
      continue;
    }
    // Contract outside when the reflection beat the worst vertex, inside otherwise.
    const outside = reflectedValue < valueAt(n);
    const contracted = toward(outside ? CONTRACT * REFLECT : -CONTRACT);
    const contractedValue = objective(contracted);
    if (contractedValue < (outside ? reflectedValue : valueAt(n))) {
      replaceWorst(contracted, contractedValue);
      continue;
    }
    const bestVertex = at(0);
    for (let v = 1; v <= n; v++) {
      const index = order[v] as number;
      const shrunk = (simplex[index] as number[]).map(
        (x, i) => (bestVertex[i] as number) + SHRINK * (x - (bestVertex[i] as number)),
      );
      simplex[index] = shrunk;
      values[index] = objective(shrunk);
    }
  }
}

function hasConverged(
  simplex: number[][],
  values: number[],
  order: number[],
  settings: SearchSettings,
): boolean {
  const bestIndex = order[0] as number;
  const bestValue = values[bestIndex] as number;
  const bestVertex = simplex[bestIndex] as number[];
  for (let v = 1; v < order.length; v++) {
    const index = order[v] as number;
    if (Math.abs((values[index] as number) - bestValue) > settings.fTolerance) return false;
    const vertex = simplex[index] as number[];
    for (let i = 0; i < vertex.length; i++) {
      if (Math.abs((vertex[i] as number) - (bestVertex[i] as number)) > settings.xTolerance) return false;
    }
  }
  return true;
}
