import type { CustomerScores } from "../../domain/analytics/scoring";
import type { MemberScores } from "../../domain/member/member-state";
import type { IsoDay } from "../../domain/time";

// Which members get their stored scores rewritten. P(alive) of a member who does not buy decays a little every
// day and the nightly refit moves every CLV slightly, so rewriting every member every night would cost one
// write per member for changes nobody acts on. A member is rewritten only when:
// - they have no scores yet, or the scoring method (horizon, discount rate, margin, model) changed;
// - their RFM segment changed (segments drive offer choice and reporting);
// - P(alive) moved by ≥ `probabilityAlive` (0.05: the lapse model scales a member's expected gap linearly in
//   P(alive), so 0.05 moves it by 5% of the configured factor range);
// - CLV or expected order value moved by more than `valueRelative` of the stored value (10%) AND more than
//   `valueMinor` (100 minor units), so small values do not flap on rounding.
// The R/F/M quintile scores are stored as of `scoredOn`; a move within the same segment does not trigger a write.

export interface ChangeThresholds {
  probabilityAlive: number;
  valueRelative: number;
  valueMinor: number;
}

export const DEFAULT_CHANGE_THRESHOLDS: ChangeThresholds = {
  probabilityAlive: 0.05,
  valueRelative: 0.1,
  valueMinor: 100,
};

/** The scoring settings that, when changed, make every stored score stale. */
export interface ScoringSettings {
  horizonWeeks: number;
  annualDiscountRate: number;
  margin: number;
}

/** e.g. "bgnbd-gg.v1.h52w.d0.1.m1"; stored before the "@" of `modelVersion`. */
export function scoringMethod(settings: ScoringSettings): string {
  return `bgnbd-gg.v1.h${settings.horizonWeeks}w.d${settings.annualDiscountRate}.m${settings.margin}`;
}

const PROBABILITY_DECIMALS = 10_000;

/** Member `i`'s scores from a scoring batch, money rounded to whole minor units. */
export function memberScoresAt(
  scores: CustomerScores,
  i: number,
  stamp: { scoredOn: IsoDay; modelVersion: string },
): MemberScores {
  const segment = scores.rfm.segmentNames[scores.rfm.segment[i] as number] ?? "other";
  return {
    segment,
    recency: scores.rfm.recency[i] as number,
    frequency: scores.rfm.frequency[i] as number,
    monetary: scores.rfm.monetary[i] as number,
    probabilityAlive: Math.round((scores.pAlive[i] as number) * PROBABILITY_DECIMALS) / PROBABILITY_DECIMALS,
    expectedOrderValueMinor: Math.round(scores.expectedOrderValue[i] as number),
    clvMinor: Math.round(scores.clv[i] as number),
    scoredOn: stamp.scoredOn,
    modelVersion: stamp.modelVersion,
  };
}

const methodOf = (modelVersion: string): string => modelVersion.split("@")[0] ?? modelVersion;

function moved(before: number, after: number, t: ChangeThresholds): boolean {
  const delta = Math.abs(after - before);
  return delta > t.valueMinor && delta > t.valueRelative * Math.abs(before);
}

/** Why `next` must replace `stored`, or undefined when the stored scores are still good enough. */
export function changeReason(
  stored: MemberScores | undefined,
  next: MemberScores,
  t: ChangeThresholds = DEFAULT_CHANGE_THRESHOLDS,
): "new" | "method" | "segment" | "probability-alive" | "value" | undefined {
  if (!stored) return "new";
  if (methodOf(stored.modelVersion) !== methodOf(next.modelVersion)) return "method";
  if (stored.segment !== next.segment) return "segment";
  if (Math.abs(stored.probabilityAlive - next.probabilityAlive) >= t.probabilityAlive)
    return "probability-alive";
  if (
    moved(stored.clvMinor, next.clvMinor, t) ||
    moved(stored.expectedOrderValueMinor, next.expectedOrderValueMinor, t)
  ) {
    return "value";
  }
  return undefined;
}
