// RFM: recency, frequency and monetary quintile scores (1–5, 5 best) from the population, and named segments
// from a configurable map of score ranges.
import * as z from "zod";

const score = z.number().int().min(1).max(5);
const scoreRange = z
  .tuple([score, score])
  .refine(([from, to]) => from <= to, { message: "a score range must be [low, high] with low ≤ high" });

export const rfmSegmentRuleSchema = z.object({
  name: z.string().min(1),
  /** Inclusive score ranges; an omitted dimension matches any score. */
  recency: scoreRange.default([1, 5]),
  frequency: scoreRange.default([1, 5]),
  monetary: scoreRange.default([1, 5]),
});

/** Segment rules are tried in order; the first whose ranges all hold names the segment, else `fallback`. */
export const rfmConfigSchema = z.object({
  segments: z.array(rfmSegmentRuleSchema).min(1),
  fallback: z.string().min(1).default("other"),
});

export type RfmConfig = z.infer<typeof rfmConfigSchema>;
export type RfmConfigInput = z.input<typeof rfmConfigSchema>;

/** The usual recency × frequency grid; together the rules cover all 25 cells, so `other` never appears. */
export const defaultRfmConfig: RfmConfig = rfmConfigSchema.parse({
  segments: [
    { name: "champions", recency: [4, 5], frequency: [4, 5] },
    { name: "loyal", recency: [3, 5], frequency: [3, 5] },
    { name: "potential", recency: [4, 5], frequency: [1, 2] },
    { name: "needs attention", recency: [3, 3], frequency: [1, 2] },
    { name: "at risk", recency: [1, 2], frequency: [3, 5] },
    { name: "hibernating", recency: [2, 2], frequency: [1, 2] },
    { name: "lost", recency: [1, 1], frequency: [1, 2] },
  ],
});

/**
 * Quintile score of each value within the population: the value's mid-rank percentile (share of the
 * population strictly below it plus half of its ties) mapped to 1–5. Ties always share a score, so a value
 * held by most of the population lands in a middle quintile instead of splitting arbitrarily. With
 * `higherIsBetter` false (recency measured as time since the last purchase) low values score 5.
 */
export function quintileScores(values: ArrayLike<number>, higherIsBetter = true): Uint8Array {
  const n = values.length;
  const sign = higherIsBetter ? 1 : -1;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    if (Number.isNaN(value)) throw new RangeError(`RFM: value ${i} is not a number`);
    sorted[i] = sign * value;
  }
  sorted.sort();
  const scores = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const value = sign * (values[i] as number);
    const below = firstIndexAtLeast(sorted, value);
    const ties = firstIndexAbove(sorted, value, below) - below;
    const percentile = (below + ties / 2) / n;
    scores[i] = Math.min(5, Math.floor(percentile * 5) + 1);
  }
  return scores;
}

function firstIndexAtLeast(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function firstIndexAbove(sorted: Float64Array, value: number, from: number): number {
  let low = from;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

export interface RfmInput {
  /** Time since the last purchase (lower is better). */
  recency: ArrayLike<number>;
  /** Number of purchases. */
  frequency: ArrayLike<number>;
  /** Spend. */
  monetary: ArrayLike<number>;
}

export interface RfmResult {
  recency: Uint8Array;
  frequency: Uint8Array;
  monetary: Uint8Array;
  /** Index into `segmentNames` for each member. */
  segment: Uint16Array;
  /** The configured segment names in rule order, then the fallback. */
  segmentNames: string[];
}

/** Scores every member and names their segment. The config is validated, so a bad map fails here by field. */
export function rfmSegments(input: RfmInput, config: RfmConfigInput = defaultRfmConfig): RfmResult {
  const parsed = rfmConfigSchema.parse(config);
  const n = input.recency.length;
  if (input.frequency.length !== n || input.monetary.length !== n) {
    throw new RangeError("RFM: recency, frequency and monetary must have one entry per member");
  }
  const recency = quintileScores(input.recency, false);
  const frequency = quintileScores(input.frequency);
  const monetary = quintileScores(input.monetary);
  const lookup = segmentLookup(parsed);
  const segment = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const cell =
      ((recency[i] as number) - 1) * 25 + ((frequency[i] as number) - 1) * 5 + (monetary[i] as number) - 1;
    segment[i] = lookup[cell] as number;
  }
  return {
    recency,
    frequency,
    monetary,
    segment,
    segmentNames: [...parsed.segments.map((rule) => rule.name), parsed.fallback],
  };
}

/** Segment index for each of the 125 (R, F, M) cells, resolved once so members need only a table look-up. */
function segmentLookup(config: RfmConfig): Uint16Array {
  const table = new Uint16Array(125);
  const within = (value: number, [from, to]: readonly [number, number]): boolean =>
    value >= from && value <= to;
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      for (let m = 1; m <= 5; m++) {
        const rule = config.segments.findIndex(
          (s) => within(r, s.recency) && within(f, s.frequency) && within(m, s.monetary),
        );
        table[(r - 1) * 25 + (f - 1) * 5 + m - 1] = rule === -1 ? config.segments.length : rule;
      }
    }
  }
  return table;
}
