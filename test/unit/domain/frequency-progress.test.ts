import { describe, expect, it } from "vitest";
import { applyPurchase, exampleProgram, frequencyProgress, type MemberState } from "../../../domain";
import { line, member, purchase } from "./fixtures";

// How close the member is to each frequency reward — the heart of frequency marketing is that the member sees it.

const program = exampleProgram;
let orders = 0;
function buy(state: MemberState, day: string, lines = [line("ESPRESSO", "coffee", 250)]): MemberState {
  const at = `${day}T08:00:00Z`;
  return applyPurchase(state, program, purchase(`O-${++orders}`, at, lines), { now: at }).state;
}
const buyOn = (days: string[], lines?: ReturnType<typeof line>[]) =>
  days.reduce((state, day) => buy(state, day, lines), member(program, "2025-02-01T09:00:00Z"));

describe("frequency progress", () => {
  it("punch card 5 of 9: 4 more purchases for a Free coffee", () => {
    const state = buyOn(["2025-03-01", "2025-03-05", "2025-03-20", "2025-04-02", "2025-04-20"]);
    expect(frequencyProgress(state, program, "2025-04-21").punchCards).toEqual([
      {
        ruleId: "coffee-card",
        name: "Coffee card",
        punches: 5,
        punchesRequired: 9,
        remaining: 4,
        categories: ["coffee"],
        rewardId: "free-coffee",
        rewardName: "Free coffee",
        summary: "5 of 9 qualifying purchases: 4 more for a Free coffee",
      },
    ]);
  });

  it("a member who never punched the card is at 0 of 9", () => {
    const [card] = frequencyProgress(member(program), program, "2025-03-01").punchCards;
    expect(card).toMatchObject({ punches: 0, remaining: 9 });
  });

  it("streak 2 of 3 visits within 14 days, to be completed by the oldest visit's 14th day", () => {
    const state = buyOn(["2025-03-01", "2025-03-04"]);
    expect(frequencyProgress(state, program, "2025-03-06").streaks).toEqual([
      {
        ruleId: "three-in-fourteen",
        name: "3 visits in 14 days",
        visits: 2,
        visitsRequired: 3,
        withinDays: 14,
        bonusPoints: 50,
        completeBy: "2025-03-14",
        summary: "2 of 3 visits within 14 days: 1 more by 2025-03-14 for 50 bonus points",
      },
    ]);
  });

  it("visits that fell out of the span no longer count", () => {
    const state = buyOn(["2025-03-01", "2025-03-04"]);
    const [late] = frequencyProgress(state, program, "2025-03-16").streaks;
    expect(late).toMatchObject({ visits: 1, completeBy: "2025-03-17" });
    const [gone] = frequencyProgress(state, program, "2025-03-30").streaks;
    expect(gone).toMatchObject({ visits: 0, summary: "0 of 3 visits within 14 days: 50 bonus points" });
    expect(gone).not.toHaveProperty("completeBy");
  });

  it("milestones: how far each is, which are reached, and the next one", () => {
    const state = buyOn(["2025-03-01", "2025-03-02", "2025-03-03"], [line("COAT", "apparel", 40_000)]);
    const progress = frequencyProgress(state, program, "2025-03-04");
    expect(progress.milestones).toEqual([
      {
        ruleId: "tenth-purchase",
        name: "10th purchase",
        metric: "purchaseCount",
        threshold: 10,
        current: 3,
        remaining: 7,
        reached: false,
        bonusPoints: 200,
        summary: "3 of 10 purchases: 7 more for 200 bonus points",
      },
      {
        ruleId: "big-spender",
        name: "EUR 5,000 lifetime",
        metric: "lifetimeSpend",
        threshold: 500_000,
        current: 120_000,
        remaining: 380_000,
        reached: false,
        bonusPoints: 0,
        rewardId: "vip-evening",
        rewardName: "VIP shopping evening",
        summary: "EUR 1200.00 of EUR 5000.00 lifetime spend: EUR 3800.00 more for a VIP shopping evening",
      },
    ]);
    // 3/10 purchases is 30 %, EUR 1,200 of 5,000 is 24 %: the purchase count is nearer.
    expect(progress.nextMilestone).toBe("tenth-purchase");
  });

  it("a reached milestone is marked and is never the next one", () => {
    const state = buyOn(["2025-03-01"], [line("SOFA", "apparel", 600_000)]);
    const progress = frequencyProgress(state, program, "2025-03-02");
    expect(progress.milestones.find((m) => m.ruleId === "big-spender")).toMatchObject({
      reached: true,
      remaining: 0,
      summary: "Reached",
    });
    expect(progress.nextMilestone).toBe("tenth-purchase");
  });
});
