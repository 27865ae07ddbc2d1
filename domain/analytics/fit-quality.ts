import type { ModelFit } from "./bg-nbd";

/**
 * Why fitted models cannot be trusted for scoring, one entry per problem; empty when both are sound. Shared by
 * the analytics command and the nightly job so both refuse the same fits for the same reasons.
 */
export function fitProblems(fits: { bgNbd: ModelFit<unknown>; gammaGamma: ModelFit<unknown> }): string[] {
  const problems: string[] = [];
  for (const [name, fit] of [
    ["BG/NBD", fits.bgNbd],
    ["Gamma-Gamma", fits.gammaGamma],
  ] as const) {
    if (fit.atBound)
      problems.push(`${name} fit ran to a parameter bound: this data cannot identify the model`);
    else if (!fit.converged) problems.push(`${name} fit did not converge`);
  }
  return problems;
}
