import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPurchase, type LedgerEntry, type MemberState } from "../../../domain";
import { resolveMember } from "../../../domain/member/lifecycle";
import type { RefereeLink } from "../../../domain/member/referral";
import { exampleProgram, exampleProgramInput } from "../../../domain/program/example-program";
import { addDays, daysBetween, utcDay } from "../../../domain/time";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { dedicatedDynamoLocal } from "../support/dynamo";
import { marketerToken, startTestApi, type TestApi } from "./http-fixture";

// The preview's tier moves on a table of its own, so the sample is exactly the members seeded here. On a
// DynamoDB Local of its own too, so its longest window (1,440 index queries; near the API's 29 s timeout when
// stream records slowed the shared instance, test/integration/support/dynamo.ts) owes nothing to earlier files.

let dynamo: DynamoLocal;
let t: TestApi;
let token: string;
beforeAll(async () => {
  dynamo = await dedicatedDynamoLocal();
  t = await startTestApi({ endpoint: dynamo.endpoint });
  token = await marketerToken("alice");
});
afterAll(async () => {
  await t?.stop();
  await dynamo?.stop();
});

/** A member due for a retention check soon, with `statusPoints` earned this month (and a referral, if given). */
async function seed(memberId: string, statusPoints: number, referredBy?: RefereeLink) {
  const now = new Date();
  const state = resolveMember(undefined, memberId, exampleProgram, now);
  state.qualifying = [{ month: now.toISOString().slice(0, 7), statusPoints, spendMinor: 0 }];
  if (referredBy) state.referral = { referredBy };
  await t.api.deps.members.createMember(memberId, state as MemberState & Record<string, unknown>);
}

describe("POST /program/preview tier moves", () => {
  it("counts members per current tier → draft tier pair, unchanged pairs included", async () => {
    // Current (example program): silver 0, gold 1000, platinum 3000. Draft: gold 500, platinum 5000.
    // tm-1 and tm-2 joined with tm-6's code: tm-1's qualifying purchase clears in 3 days, tm-2 is still to buy.
    const link = { referrerId: "tm-6", linkedAt: new Date().toISOString() };
    const clears = addDays(utcDay(new Date()), 3);
    const purchase = { sourceKey: "purchase:x:O-1", orderId: "O-1", availableOn: clears, netMinor: 3000 };
    const referrals: Record<string, RefereeLink> = {
      "tm-1": { ...link, status: "qualifying", purchase },
      "tm-2": { ...link, status: "awaiting-purchase" },
    };
    for (const [id, points] of [
      ["tm-1", 100],
      ["tm-2", 700],
      ["tm-3", 800],
      ["tm-4", 1500],
      ["tm-5", 4000],
      ["tm-6", 6000],
    ] as const)
      await seed(id, points, referrals[id]);
    const tiers = exampleProgramInput.tiers.map((tier) =>
      tier.id === "gold"
        ? { ...tier, threshold: 500 }
        : tier.id === "platinum"
          ? { ...tier, threshold: 5000 }
          : tier,
    );
    const res = await t.call("POST", "/program/preview", {
      token,
      body: { program: { ...exampleProgramInput, version: 2, tiers }, days: 7, maxMembers: 50 },
    });
    expect(res.status).toBe(200);
    // The draft keeps the example's referral rewards: 200 points to the referee, 500 to the referrer.
    expect(res.body.referrals).toEqual({ pending: 2, completingInWindow: 1, draftRewardPoints: 700 });
    expect(res.body.sample).toMatchObject({ members: 6, complete: true });
    expect(res.body.tiers.moves).toEqual([
      { fromTierId: "silver", toTierId: "silver", members: 1 },
      { fromTierId: "silver", toTierId: "gold", members: 2 },
      { fromTierId: "gold", toTierId: "gold", members: 1 },
      { fromTierId: "platinum", toTierId: "gold", members: 1 },
      { fromTierId: "platinum", toTierId: "platinum", members: 1 },
    ]);
    expect(res.body.tiers).toMatchObject({ movedUp: 2, movedDown: 1, unchanged: 3 });
    expect(res.body.tiers.byTier).toEqual([
      { tierId: "silver", current: 3, draft: 1 },
      { tierId: "gold", current: 1, draft: 4 },
      { tierId: "platinum", current: 2, draft: 1 },
    ]);
  });

  it("reads the longest window, 90 days of due buckets (1,440 index queries), within the API's timeout", async () => {
    const res = await t.call("POST", "/program/preview", {
      token,
      body: { program: { ...exampleProgramInput, version: 2 }, days: 90, maxMembers: 500 },
    });
    expect(res.status).toBe(200);
    expect(res.body.sample).toMatchObject({ days: 90, members: 6, complete: true });
    expect(res.body.sample.reads.indexQueries).toBe(90 * 16);
  });

  it("stops at maxMembers and says the sample is incomplete", async () => {
    const res = await t.call("POST", "/program/preview", {
      token,
      body: { program: { ...exampleProgramInput, version: 2 }, days: 7, maxMembers: 4 },
    });
    expect(res.status).toBe(200);
    expect(res.body.sample).toMatchObject({ members: 4, complete: false });
  });
});

describe("POST /program/preview partners", () => {
  it("shows what a partner's purchases earn and cost it under the draft's rate and price", async () => {
    const now = new Date();
    const at = new Date(now.getTime() - 2 * 86_400_000).toISOString();
    const source = "retail.partner.cafe-lumen.till-1";
    const bought = applyPurchase(
      resolveMember(undefined, "pp-1", exampleProgram, now),
      exampleProgram,
      {
        sourceKey: `purchase:${source}:L-1`,
        source,
        orderId: "L-1",
        channel: "pos",
        occurredAt: at,
        currency: "EUR",
        minorUnitsPerMajor: 100,
        lines: [{ sku: "LUMEN-LATTE", category: "coffee", quantity: 1, unitPriceMinor: 2500 }],
        discountMinor: 0,
        totalMinor: 2500,
      },
      { now },
    );
    await t.api.deps.members.commit({
      memberId: "pp-1",
      previous: undefined,
      nextState: bought.state as MemberState & Record<string, unknown>,
      entries: bought.entries as (LedgerEntry & Record<string, unknown>)[],
      sourceKey: `purchase:${source}:L-1`,
      payload: "test",
    });
    const partners = exampleProgramInput.partners?.map((p) =>
      p.id === "cafe-lumen"
        ? { ...p, earn: { ...p.earn, pointsPerUnit: 4 }, issuePriceMicros: 1_000_000 }
        : p,
    );
    // Up to the member's own due day only: the 90-day window (1,440 index queries) is the test above's, and on
    // a loaded machine its reads can outlast the API's timeout, which is not what this test is about.
    const days = daysBetween(utcDay(now), bought.state.retention.dueOn) + 1;
    const res = await t.call("POST", "/program/preview", {
      token,
      body: { program: { ...exampleProgramInput, version: 2, partners }, days, maxMembers: 500 },
    });
    expect(res.status).toBe(200);
    // 25 EUR at Café Lumen: 2 points per EUR now (0.8 cent each), 4 under the draft (1 cent each); the program's
    // category and promotion multipliers apply on top of either rate.
    const earnedNow = bought.entries.find((e) => e.kind === "earn");
    const pointsNow = (earnedNow?.points ?? 0) + (earnedNow?.pendingPoints ?? 0);
    expect(res.body.partners).toEqual([
      {
        partnerId: "cafe-lumen",
        name: "Café Lumen",
        purchases: 1,
        points: { current: pointsNow, draft: 2 * pointsNow, change: pointsNow },
        partnerOwesMinor: {
          current: Math.round(pointsNow * 0.8),
          draft: 2 * pointsNow,
          change: 2 * pointsNow - Math.round(pointsNow * 0.8),
        },
      },
      {
        partnerId: "velo-fuel",
        name: "Vélo Fuel",
        purchases: 0,
        points: { current: 0, draft: 0, change: 0 },
        partnerOwesMinor: { current: 0, draft: 0, change: 0 },
      },
    ]);
    expect(pointsNow).toBeGreaterThan(0);
  });
});
