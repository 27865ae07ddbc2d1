import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  type MemberState,
  type Program,
  redeemReward,
  spendableBalance,
} from "../../../domain";
import { line, member, plainProgram, programWith, purchase } from "./fixtures";

let orders = 0;
function buyAll(
  program: Program,
  state: MemberState,
  days: string[],
  lines = [line("ESPRESSO", "coffee", 250)],
) {
  let current = state;
  const results = days.map((day) => {
    const at = `${day}T08:00:00Z`;
    const result = applyPurchase(current, program, purchase(`O-${++orders}`, at, lines), { now: at });
    current = result.state;
    return result;
  });
  return { state: current, results };
}
const march = (n: number) => `2025-03-${String(n).padStart(2, "0")}`;

describe("punch cards", () => {
  const program = plainProgram((i) => {
    i.punchCards = programWith().punchCards;
  });

  it("9 coffee purchases unlock a free coffee on the 9th; it then costs 0 points", () => {
    const { state, results } = buyAll(program, member(program), [1, 2, 3, 4, 5, 6, 7, 8, 9].map(march));
    expect(
      results
        .slice(0, 8)
        .flatMap((r) => r.outbound)
        .filter((e) => e.type === "Reward Unlocked"),
    ).toEqual([]);
    expect(results[8]?.outbound).toContainEqual({
      type: "Reward Unlocked",
      detail: expect.objectContaining({ rewardId: "free-coffee", ruleId: "coffee-card", memberId: "m-1" }),
    });
    expect(state.rewards.unlocked).toEqual([{ rewardId: "free-coffee", count: 1 }]);
    expect(state.frequency.punchCards).toEqual([{ ruleId: "coffee-card", punches: 0 }]);
    const redeemed = redeemReward(state, program, "free-coffee", {
      now: "2025-03-10T08:00:00Z",
      redemptionKey: "r-1",
    });
    expect(redeemed.entries[0]).toMatchObject({ points: 0, details: { usedUnlocked: true } });
    expect(redeemed.state.rewards.unlocked).toEqual([]);
  });

  it("a purchase without a paid coffee line does not punch the card", () => {
    const { state } = buyAll(program, member(program), [march(1)], [line("TEE", "apparel", 2000)]);
    expect(state.frequency.punchCards).toEqual([]);
  });
});

describe("visit streaks (3 visits within 14 days earn 50)", () => {
  const program = plainProgram((i) => {
    i.streaks = programWith().streaks;
  });
  const bonusesOf = (results: ReturnType<typeof buyAll>["results"]) =>
    results.flatMap((r) => r.entries).filter((e) => e.kind === "bonus");

  it("visits on 1, 5 and 14 March (13 days apart) earn the bonus on the 14th, then restart", () => {
    const { state, results } = buyAll(program, member(program), [march(1), march(5), march(14)]);
    expect(bonusesOf(results)).toEqual([
      expect.objectContaining({
        entryId: `bonus:purchase:retail.pos:O-${orders}:three-in-fourteen`,
        pendingPoints: 50,
        ruleIds: ["three-in-fourteen"],
      }),
    ]);
    expect(state.frequency.streaks).toEqual([{ ruleId: "three-in-fourteen", visitDays: [] }]);
  });

  it("visits on 1, 5 and 15 March span 15 days: no bonus, only 5 and 15 are kept", () => {
    const { state, results } = buyAll(program, member(program), [march(1), march(5), march(15)]);
    expect(bonusesOf(results)).toEqual([]);
    expect(state.frequency.streaks[0]?.visitDays).toEqual([march(5), march(15)]);
  });

  it("three baskets on one day are one visit", () => {
    const { results } = buyAll(program, member(program), [march(1), march(1), march(1)]);
    expect(bonusesOf(results)).toEqual([]);
  });
});

describe("lifetime milestones", () => {
  const program = plainProgram((i) => {
    i.milestones = programWith().milestones;
  });

  it("the 10th purchase earns 200 bonus points, once", () => {
    const days = Array.from({ length: 11 }, (_, k) => march(k + 1));
    const { results } = buyAll(program, member(program), days, [line("TEE", "apparel", 1000)]);
    const bonuses = results.map((r) =>
      r.entries.filter((e) => e.kind === "bonus").map((e) => e.pendingPoints),
    );
    expect(bonuses).toEqual([[], [], [], [], [], [], [], [], [], [200], []]);
  });

  it("EUR 5,000 lifetime spend unlocks the VIP evening", () => {
    const { state, results } = buyAll(
      program,
      member(program),
      [march(1), march(2)],
      [line("COAT", "apparel", 250_000)],
    );
    expect(results[1]?.outbound).toContainEqual({
      type: "Reward Unlocked",
      detail: expect.objectContaining({ rewardId: "vip-evening", ruleId: "big-spender" }),
    });
    expect(state.frequency.milestonesReached).toEqual(["big-spender"]);
    expect(spendableBalance(state)).toBe(0);
  });
});
