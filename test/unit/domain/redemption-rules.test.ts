import { describe, expect, it } from "vitest";
import { applyPurchase, redeemReward } from "../../../domain";
import { toPublishable } from "../../../functions/pipeline/mapping";
import { line, member, plainProgram, programWith, purchase } from "./fixtures";

// Every ledger entry names the rules that produced it; a redemption's rule is the catalogue reward it
// redeemed, and its catalogue version is the entry's programVersion.

const longId = `r${"x".repeat(63)}`;
const program = plainProgram((i) => {
  i.version = 7;
  i.earning.pendingDays = 0;
  i.rewards = [
    { rewardId: "mug", name: "Mug", pointsCost: 150 },
    { rewardId: longId, name: "Long", pointsCost: 10 },
  ];
});

const rich = () =>
  applyPurchase(
    member(program),
    program,
    purchase("O-1", "2025-03-10T10:00:00Z", [line("T", "apparel", 20_000)]),
    { now: "2025-03-10T10:00:00Z" },
  ).state;

describe("redemption ledger entries name their rule", () => {
  it("a paid redemption cites the reward and the catalogue version, in the entry and the event", () => {
    const result = redeemReward(rich(), program, "mug", {
      now: "2025-05-01T10:00:00Z",
      redemptionKey: "r-1",
    });
    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]).toMatchObject({ kind: "redeem", ruleIds: ["reward-mug"], programVersion: 7 });
    expect(result.outbound[0]).toMatchObject({
      type: "Points Redeemed",
      detail: { ruleIds: ["reward-mug"], programVersion: 7, rewardId: "mug" },
    });
  });

  it("an unlocked (free) redemption cites the reward too", () => {
    const cards = programWith((i) => {
      i.earning.pendingDays = 0;
    });
    let state = member(cards);
    for (const day of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const at = `2025-03-${String(day).padStart(2, "0")}T08:00:00Z`;
      state = applyPurchase(state, cards, purchase(`C-${day}`, at, [line("COF-1", "coffee", 300)]), {
        now: at,
      }).state;
    }
    expect(state.rewards.unlocked).toEqual([{ rewardId: "free-coffee", count: 1 }]);
    const result = redeemReward(state, cards, "free-coffee", {
      now: "2025-03-10T08:00:00Z",
      redemptionKey: "r-2",
    });
    expect(result.entries.at(-1)).toMatchObject({
      points: 0,
      ruleIds: ["reward-free-coffee"],
      programVersion: cards.version,
    });
  });

  it("the cited id of a reward with the longest allowed id still fits the Points Redeemed contract", () => {
    const result = redeemReward(rich(), program, longId, {
      now: "2025-05-01T10:00:00Z",
      redemptionKey: "r-3",
    });
    const [event] = toPublishable(result.outbound, result.entries);
    expect(event?.detail).toMatchObject({ ruleIds: [`reward-${longId}`], rewardId: longId });
  });
});
