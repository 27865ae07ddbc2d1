import { describe, expect, it } from "vitest";
import { nelderMead } from "../../../domain/analytics/nelder-mead";

const rosenbrock = ([x = 0, y = 0]: readonly number[]): number => 100 * (y - x * x) ** 2 + (1 - x) ** 2;

describe("nelderMead", () => {
  it("finds the Rosenbrock minimum at (1, 1) from the classic start", () => {
    const result = nelderMead(rosenbrock, [-1.2, 1], { fTolerance: 1e-14, xTolerance: 1e-9 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
  });

  it("minimises a 4-dimensional ill-scaled quadratic", () => {
    const centre = [3, -2, 0.5, 10];
    const scales = [1, 10, 100, 0.1];
    const f = (x: readonly number[]): number =>
      x.reduce((sum, xi, i) => sum + (scales[i] as number) * (xi - (centre[i] as number)) ** 2, 0);
    const result = nelderMead(f, [0, 0, 0, 0], { fTolerance: 1e-14, xTolerance: 1e-9 });
    expect(result.x.map((xi) => Number(xi.toFixed(5)))).toEqual(centre);
  });

  it("steps away from regions where the objective is not finite", () => {
    // log-barrier: undefined for x ≤ 0, minimum at x = 1
    const f = ([x = 0]: readonly number[]): number => x - Math.log(x);
    const result = nelderMead(f, [0.2], { initialStep: -1 });
    expect(result.x[0]).toBeCloseTo(1, 5);
  });

  it("stops at the evaluation cap and says it did not converge", () => {
    const result = nelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 20 });
    expect(result.converged).toBe(false);
    expect(result.evaluations).toBeLessThanOrEqual(20 + 3);
  });

  it("rejects an empty or non-finite start", () => {
    expect(() => nelderMead(rosenbrock, [])).toThrow(/starting point/);
    expect(() => nelderMead(rosenbrock, [Number.NaN, 0])).toThrow(/starting point/);
  });
});
