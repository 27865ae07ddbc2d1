// Value concentration: how much of the total value the most valuable members hold (the 80/20 view), with a
// Lorenz curve and Gini coefficient for the whole distribution.

export interface LorenzPoint {
  /** Share of members, least valuable first. */
  population: number;
  /** Share of total value those members hold. */
  value: number;
}

export interface ValueConcentration {
  members: number;
  total: number;
  /** Share of the total held by the top 10% / 20% of members (at least one member each). */
  top10Share: number;
  top20Share: number;
  /** Lorenz curve at every 10% of members, from (0, 0) to (1, 1). */
  lorenz: LorenzPoint[];
  /** 0 when everyone holds the same value, approaching 1 when one member holds it all. */
  gini: number;
}

/** Concentration of non-negative per-member values. An all-zero population has zero shares and Gini 0. */
export function valueConcentration(values: ArrayLike<number>): ValueConcentration {
  const n = values.length;
  if (n === 0) throw new RangeError("value concentration: need at least one member");
  const sorted = Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    const value = sorted[i] as number;
    if (!(value >= 0 && Number.isFinite(value))) {
      throw new RangeError(
        `value concentration: member ${i} has value ${value}; values must be finite and ≥ 0`,
      );
    }
  }
  sorted.sort();
  const prefix = new Float64Array(n + 1);
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    prefix[i + 1] = (prefix[i] as number) + (sorted[i] as number);
    weighted += (i + 1) * (sorted[i] as number);
  }
  const total = prefix[n] as number;
  const share = (amount: number): number => (total > 0 ? amount / total : 0);
  const topShare = (fraction: number): number => {
    const members = Math.max(1, Math.ceil(n * fraction));
    return share(total - (prefix[n - members] as number));
  };
  const lorenz: LorenzPoint[] = [];
  for (let decile = 0; decile <= 10; decile++) {
    const members = Math.round((n * decile) / 10);
    lorenz.push({ population: decile / 10, value: share(prefix[members] as number) });
  }
  // Gini from the ascending order statistics: G = 2 Σ i·v_(i) / (n Σ v) − (n + 1) / n.
  const gini = total > 0 ? (2 * weighted) / (n * total) - (n + 1) / n : 0;
  return { members: n, total, top10Share: topShare(0.1), top20Share: topShare(0.2), lorenz, gini };
}
