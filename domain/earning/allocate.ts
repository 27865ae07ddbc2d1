/**
 * Splits a whole `total` over `weights` in proportion, largest remainder first (ties: earlier index), so the
 * parts are whole numbers that add up exactly to `total`. All-zero weights give all-zero parts
 * (`total` is then expected to be 0).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map((x) => Math.floor(x + 1e-9));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x + 1e-9) }))
    .filter(({ i }) => (weights[i] ?? 0) > 0)
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length) {
    const index = order[k]?.i ?? 0;
    parts[index] = (parts[index] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

export type Rounding = "floor" | "round-half-up" | "ceil";

// Multipliers are decimals (1.25, 1.5), so products like 0.1 × 3 land a hair off an integer; the epsilon
// keeps 2.9999999999 from flooring to 2.
const EPSILON = 1e-9;

export function roundPoints(raw: number, rounding: Rounding): number {
  switch (rounding) {
    case "floor":
      return Math.max(0, Math.floor(raw + EPSILON));
    case "round-half-up":
      return Math.max(0, Math.floor(raw + 0.5 + EPSILON));
    case "ceil":
      return Math.max(0, Math.ceil(raw - EPSILON));
  }
}
