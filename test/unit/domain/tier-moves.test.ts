import { describe, expect, it } from "vitest";
import { exampleProgram } from "../../../domain/program/example-program";
import { summariseTierMoves, tierPlacement } from "../../../domain/tiers/tier-moves";
import { member, programWith } from "./fixtures";

// Example program: silver 0, gold 1000, platinum 3000 status points over a rolling 12 months.
const withStatus = (points: number) => {
  const state = member(exampleProgram);
  state.qualifying = [{ month: "2025-03", statusPoints: points, spendMinor: 0 }];
  return state;
};

describe("tier moves of a draft program", () => {
  const current = exampleProgram;
  // Draft: gold from 500, platinum from 5000, and a new top tier "black" from 8000.
  const draft = programWith((p) => {
    const [silver, gold, platinum] = p.tiers;
    if (!silver || !gold || !platinum) throw new Error("example program has three tiers");
    p.tiers = [
      silver,
      { ...gold, threshold: 500 },
      { ...platinum, threshold: 5000 },
      { ...platinum, id: "black", name: "Black", threshold: 8000 },
    ];
  });
  const programs = { current, draft };

  it("places a member by each program's thresholds on the day's qualifying window", () => {
    expect(tierPlacement(withStatus(700), programs, "2025-04-01")).toEqual({ from: 0, to: 1 });
    expect(tierPlacement(withStatus(4000), programs, "2025-04-01")).toEqual({ from: 2, to: 1 });
    expect(tierPlacement(withStatus(9000), programs, "2025-04-01")).toEqual({ from: 2, to: 3 });
    // A year later the March bucket has left the 12-month window: silver under both.
    expect(tierPlacement(withStatus(9000), programs, "2026-04-01")).toEqual({ from: 0, to: 0 });
  });

  it("counts each (current, draft) pair once per member, unchanged pairs included, in tier order", () => {
    const placements = [700, 4000, 9000, 100, 600, 4500, 1500].map((points) =>
      tierPlacement(withStatus(points), programs, "2025-04-01"),
    );
    const summary = summariseTierMoves(programs, placements);
    expect(summary.moves).toEqual([
      { fromTierId: "silver", toTierId: "silver", members: 1 },
      { fromTierId: "silver", toTierId: "gold", members: 2 },
      { fromTierId: "gold", toTierId: "gold", members: 1 },
      { fromTierId: "platinum", toTierId: "gold", members: 2 },
      { fromTierId: "platinum", toTierId: "black", members: 1 },
    ]);
    expect(summary).toMatchObject({ movedUp: 3, movedDown: 2, unchanged: 2 });
    expect(summary.byTier).toEqual([
      { tierId: "silver", current: 3, draft: 1 },
      { tierId: "gold", current: 1, draft: 5 },
      { tierId: "platinum", current: 3, draft: 0 },
      { tierId: "black", current: 0, draft: 1 },
    ]);
    const total = summary.moves.reduce((sum, m) => sum + m.members, 0);
    expect(total).toBe(placements.length);
  });

  it("reports nothing for an empty sample", () => {
    expect(summariseTierMoves(programs, [])).toEqual({
      movedUp: 0,
      movedDown: 0,
      unchanged: 0,
      byTier: [],
      moves: [],
    });
  });
});
