import type { MemberState } from "../member/member-state";
import type { Program } from "../program/program-schema";
import type { IsoDay } from "../time";
import { qualifyingMetric, tierIndexFor } from "./qualifying";

// How a draft program would re-tier members: each member's tier as the current program's rules qualify them
// on a day, against the draft's, and the tally of those placements a what-if reports (counts per tier, moves
// up and down, and the from-tier → to-tier pairs a matrix or flow chart draws).

/** A member's tier index under the current program and under the draft. */
export interface TierPlacement {
  from: number;
  to: number;
}

export interface TierMove {
  fromTierId: string;
  toTierId: string;
  members: number;
}

export interface TierMoveSummary {
  movedUp: number;
  movedDown: number;
  unchanged: number;
  /** Members per tier under each program; tiers no member is in under either are left out. */
  byTier: { tierId: string; current: number; draft: number }[];
  /** Members per (current tier, draft tier) pair with at least one member, unchanged pairs included. */
  moves: TierMove[];
}

/** The tier each program's rules qualify the member for on `day` (the qualifying window ending that day). */
export function tierPlacement(
  state: MemberState,
  programs: { current: Program; draft: Program },
  day: IsoDay,
): TierPlacement {
  const { current, draft } = programs;
  return {
    from: tierIndexFor(current, qualifyingMetric(state, current, day)),
    to: tierIndexFor(draft, qualifyingMetric(state, draft, day)),
  };
}

/**
 * Tallies placements. "Up" and "down" compare tier positions (a draft may rename tiers); byTier lists the
 * current program's tiers in order, then the draft's tiers the current one lacks; moves are ordered by
 * current tier, then draft tier.
 */
export function summariseTierMoves(
  programs: { current: Program; draft: Program },
  placements: readonly TierPlacement[],
): TierMoveSummary {
  const { current, draft } = programs;
  const idOf = (program: Program, index: number) => program.tiers[index]?.id ?? "?";
  const counts = new Map<string, { current: number; draft: number }>();
  for (const id of [...current.tiers, ...draft.tiers].map((t) => t.id))
    counts.set(id, { current: 0, draft: 0 });
  const pairs = new Map<string, TierPlacement & { members: number }>();
  const summary = { movedUp: 0, movedDown: 0, unchanged: 0 };
  for (const { from, to } of placements) {
    if (to > from) summary.movedUp += 1;
    else if (to < from) summary.movedDown += 1;
    else summary.unchanged += 1;
    for (const [id, which] of [
      [idOf(current, from), "current"],
      [idOf(draft, to), "draft"],
    ] as const) {
      const count = counts.get(id) ?? { current: 0, draft: 0 };
      count[which] += 1;
      counts.set(id, count);
    }
    const key = `${from}>${to}`;
    const pair = pairs.get(key) ?? { from, to, members: 0 };
    pair.members += 1;
    pairs.set(key, pair);
  }
  return {
    ...summary,
    byTier: [...counts].filter(([, c]) => c.current + c.draft > 0).map(([tierId, c]) => ({ tierId, ...c })),
    moves: [...pairs.values()]
      .sort((a, b) => a.from - b.from || a.to - b.to)
      .map(({ from, to, members }) => ({
        fromTierId: idOf(current, from),
        toTierId: idOf(draft, to),
        members,
      })),
  };
}
