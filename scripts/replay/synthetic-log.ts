import type { PurchaseRow } from "./purchase-log";

// A synthetic purchase log told as the BG/NBD story (Fader, Hardie & Lee 2005): while "alive", each member
// buys as a Poisson process with their own rate λ ~ Gamma(r, α); after every purchase they drop out for good
// with their own probability p ~ Beta(a, b). Spend per purchase follows Gamma-Gamma: each member has a
// scale ν ~ Gamma(q, γ) and each order is Gamma(shape, ν). Defaults are the published CDNOW fits
// (r 0.243, α 4.414 weeks; a 0.793, b 2.426; Gamma-Gamma p 6.25, q 3.74, γ 15.44), in EUR.

export interface SyntheticOptions {
  members: number;
  seed: number;
  /** Last day of the log (UTC, YYYY-MM-DD); the log covers the `days` days up to it. */
  endDay: string;
  /** Length of the log in days (default a year, 365). */
  days?: number;
  /** Share of the log over which members join (default: the first half). */
  joinWindow?: number;
}

const PARAMS = {
  r: 0.243,
  alphaDays: 4.414 * 7,
  a: 0.793,
  b: 2.426,
  spendShape: 6.25,
  q: 3.74,
  gamma: 15.44,
};
const CATEGORIES = ["grocery", "coffee", "bakery", "apparel", "shoes", "accessories"] as const;
const DAY_MS = 86_400_000;
const YEAR_DAYS = 365;

/** sfc32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/** A standard normal draw. */
export function normal(random: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia & Tsang, with the boost for shape < 1. */
export function gamma(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gamma(random, shape + 1, rate) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function beta(random: () => number, a: number, b: number): number {
  const x = gamma(random, a, 1);
  return x / (x + gamma(random, b, 1));
}

export function syntheticPurchaseLog(options: SyntheticOptions): PurchaseRow[] {
  if (!Number.isInteger(options.members) || options.members < 1)
    throw new Error(`--synthetic needs a whole number of members >= 1, got ${options.members}`);
  const end = Date.parse(`${options.endDay}T00:00:00Z`);
  if (Number.isNaN(end)) throw new Error(`endDay must be YYYY-MM-DD, got "${options.endDay}"`);
  const days = options.days ?? YEAR_DAYS;
  if (!Number.isInteger(days) || days < 1) throw new Error(`days must be a whole number >= 1, got ${days}`);
  const start = end - (days - 1) * DAY_MS;
  const random = seededRandom(options.seed);
  const joinDays = days * (options.joinWindow ?? 0.5);
  const rows: PurchaseRow[] = [];
  let orders = 0;
  for (let m = 0; m < options.members; m++) {
    const customerId = String(m + 1);
    const rate = gamma(random, PARAMS.r, PARAMS.alphaDays);
    const dropout = beta(random, PARAMS.a, PARAMS.b);
    const spendRate = gamma(random, PARAMS.q, PARAMS.gamma);
    const favourite = CATEGORIES[Math.floor(random() * CATEGORIES.length)] as string;
    let day = Math.floor(random() * joinDays);
    for (;;) {
      // Major units, at least EUR 1: a zero-value basket is not a purchase worth replaying.
      const amount = Math.max(1, gamma(random, PARAMS.spendShape, spendRate));
      const category =
        random() < 0.7 ? favourite : (CATEGORIES[Math.floor(random() * CATEGORIES.length)] as string);
      orders += 1;
      rows.push({
        customerId,
        day: new Date(start + day * DAY_MS).toISOString().slice(0, 10),
        amountMinor: Math.round(amount * 100),
        orderId: `syn-${orders}`,
        category,
      });
      if (random() < dropout) break;
      // Exponential waiting time to the next purchase, at least the next day.
      day += Math.max(1, Math.ceil(-Math.log(1 - random()) / Math.max(rate, 1e-9)));
      if (day >= days) break;
    }
  }
  return rows.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
}
