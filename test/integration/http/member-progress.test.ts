import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPurchase, type MemberState, type PurchaseFacts } from "../../../domain";
import { resolveMember } from "../../../domain/member/lifecycle";
import { exampleProgram } from "../../../domain/program/example-program";
import { memberToken, startTestApi, type TestApi } from "./http-fixture";

// GET /me and GET /me/rewards show how close each frequency reward is and explain what keeps the tier.

const DAY_MS = 86_400_000;
let t: TestApi;
let token: string;

function coffee(orderId: string, at: Date, unitPrice = 350): PurchaseFacts {
  return {
    sourceKey: `purchase:retail.pos:${orderId}`,
    orderId,
    channel: "pos",
    storeId: "7",
    occurredAt: at.toISOString(),
    currency: "EUR",
    minorUnitsPerMajor: 100,
    lines: [{ sku: "ESPRESSO", category: "coffee", quantity: 1, unitPriceMinor: unitPrice }],
    discountMinor: 0,
    totalMinor: unitPrice,
  };
}

beforeAll(async () => {
  t = await startTestApi();
  token = await memberToken("progress-1");
  const now = Date.now();
  let state = resolveMember(undefined, "progress-1", exampleProgram, new Date(now - 20 * DAY_MS));
  // Five coffee purchases on five days, the last one big enough for Gold (1000 status points).
  const days = [20, 12, 6, 3, 1];
  days.forEach((daysAgo, i) => {
    const at = new Date(now - daysAgo * DAY_MS);
    const price = i === days.length - 1 ? 110_000 : 350;
    state = applyPurchase(state, exampleProgram, coffee(`P-${i}`, at, price), { now: at }).state;
  });
  await t.api.deps.members.createMember("progress-1", state as MemberState & Record<string, unknown>);
});
afterAll(async () => {
  await t.stop();
});

describe("member progress", () => {
  it("GET /me shows punch card 5 of 9, the streak and the next milestone", async () => {
    const me = await t.call("GET", "/me", { token });
    expect(me.status).toBe(200);
    const { punchCards, streaks, milestones, nextMilestone } = me.body.frequency;
    expect(punchCards).toEqual([
      expect.objectContaining({ ruleId: "coffee-card", punches: 5, punchesRequired: 9, remaining: 4 }),
    ]);
    expect(punchCards[0].summary).toBe("5 of 9 qualifying purchases: 4 more for a Free coffee");
    expect(streaks[0]).toMatchObject({ ruleId: "three-in-fourteen", visitsRequired: 3, withinDays: 14 });
    expect(milestones.map((m: { ruleId: string }) => m.ruleId)).toEqual(["tenth-purchase", "big-spender"]);
    expect(milestones[0]).toMatchObject({ current: 5, remaining: 5, reached: false });
    expect(nextMilestone).toBe("tenth-purchase");
  });

  it("GET /me explains toKeep: which days count and what is needed by when", async () => {
    const { tier } = (await t.call("GET", "/me", { token })).body;
    expect(tier.tierId).toBe("gold");
    const { toKeep } = tier;
    expect(toKeep.required).toBe(1000);
    expect(toKeep.remaining).toBe(Math.max(0, toKeep.required - toKeep.current));
    expect(toKeep.countsUntil < tier.keepsUntil).toBe(true);
    expect(toKeep.countsFrom).toMatch(/^\d{4}-\d{2}-01$/);
    expect(toKeep.explanation).toContain(`review on ${tier.keepsUntil}`);
    expect(toKeep.explanation).toContain(`from ${toKeep.countsFrom} to ${toKeep.countsUntil}`);
  });

  it("GET /me/rewards carries the same progress next to the catalogue", async () => {
    const rewards = await t.call("GET", "/me/rewards", { token });
    expect(rewards.status).toBe(200);
    expect(rewards.body.frequency.punchCards[0]).toMatchObject({
      rewardId: "free-coffee",
      rewardName: "Free coffee",
      punches: 5,
    });
  });
});
