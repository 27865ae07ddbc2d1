import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, inject, it } from "vitest";
import { addDays } from "../../../domain/time";
import { readCampaignCounters } from "../../../functions/adapters/dynamo/campaign-counters";
import { offerItemKey } from "../../../functions/adapters/dynamo/keys";
import { refund } from "./events";
import { createHarness, type Harness } from "./harness";
import { memberView } from "./member-view";
import { bonusOffer, issue, offerOutcomes, purchaseWithCodes, redeemedCount } from "./offers";

// Offer codes on purchases, through the real consumer handlers and DynamoDB Local: each code is redeemed at
// most once, only by its member, within its validity; anything else is recorded with its reason and the
// purchase earns as usual.

const NOW = "2025-03-28T12:00:00Z";
const HOUR_AGO = "2025-03-28T11:00:00Z";
const daysAgo = (days: number) => new Date(Date.parse(NOW) - days * 86_400_000).toISOString();

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

describe("offer codes on purchases", () => {
  it("earn a bonus-points offer once, for its member, and count it for the campaign", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await issue(harness, { memberId: "m-1", code: "ABCD234567", sentAt: daysAgo(2) });
    // As a cashier might type it.
    const result = await harness.deliver(purchaseWithCodes("m-1", "o-1", HOUR_AGO, ["abcd-2345 67"]));
    expect(result.status).toBe("committed");

    const view = await memberView(harness, "m-1");
    const outcome = offerOutcomes(view?.entries ?? []).get("o-1");
    expect(outcome?.rejected).toEqual([]);
    expect(outcome?.redeemed).toMatchObject([{ code: "ABCD234567", offerId: "bonus-250", points: 250 }]);
    const bonus = view?.entries.find((e) => e.ruleIds.includes("offer-bonus-250"));
    expect(bonus).toMatchObject({ kind: "bonus", pendingPoints: 250 });
    expect((await harness.repository.getOffer("m-1", "ABCD234567"))?.redemption?.orderId).toBe("o-1");
    expect(await redeemedCount(harness)).toBe(1);
  });

  it("redeem a code once when the purchase is redelivered and a second till uses it at the same time", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await issue(harness, { memberId: "m-2", code: "WXYZ234567", sentAt: daysAgo(2) });
    const first = purchaseWithCodes("m-2", "o-till-1", HOUR_AGO, ["WXYZ234567"]);
    const second = purchaseWithCodes("m-2", "o-till-2", HOUR_AGO, ["WXYZ234567"], {
      source: "retail.pos.store-077",
    });
    const results = await Promise.all([
      harness.deliver(first),
      harness.deliver(second),
      harness.deliver(first),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["committed", "committed", "duplicate"]);

    const outcomes = offerOutcomes((await memberView(harness, "m-2"))?.entries ?? []);
    const redeemed = [...outcomes.values()].flatMap((o) => o.redeemed);
    const rejected = [...outcomes.values()].flatMap((o) => o.rejected);
    expect(redeemed).toHaveLength(1);
    expect(rejected).toEqual([{ code: "WXYZ234567", reason: "already-redeemed" }]);
    // Both orders earned their purchase points.
    expect(outcomes.size).toBe(2);
    expect(await redeemedCount(harness)).toBe(1);
  });

  it("reject expired, foreign, unknown and malformed codes with their reason while the purchase earns normally", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await issue(harness, { memberId: "m-3", code: "EXPRD23456", sentAt: daysAgo(40) });
    await issue(harness, { memberId: "m-other", code: "FRGN234567", sentAt: daysAgo(2) });
    await harness.deliver(
      purchaseWithCodes("m-3", "o-codes", HOUR_AGO, ["EXPRD23456", "FRGN234567", "NKNWN23456", "no!"]),
    );
    await harness.deliver(purchaseWithCodes("m-4", "o-plain", HOUR_AGO, []));

    const withCodes = await memberView(harness, "m-3");
    expect(offerOutcomes(withCodes?.entries ?? []).get("o-codes")).toEqual({
      redeemed: [],
      rejected: [
        { code: "EXPRD23456", reason: "expired" },
        { code: "FRGN234567", reason: "not-found" },
        { code: "NKNWN23456", reason: "not-found" },
        { code: "NO!", reason: "malformed" },
      ],
    });
    const plain = await memberView(harness, "m-4");
    expect(withCodes?.pending).toBe(plain?.pending);
    expect(withCodes?.pending).toBeGreaterThan(0);
    // Another member's code stays unused.
    expect((await harness.repository.getOffer("m-other", "FRGN234567"))?.redemption).toBeUndefined();
    expect(await redeemedCount(harness)).toBe(0);
  });

  it("give a code back on a full refund while it is valid, never on a partial one", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const lines = [
      { sku: "tee", category: "apparel", quantity: 1, unitPrice: 4000 },
      { sku: "cap", category: "apparel", quantity: 1, unitPrice: 1000 },
    ];
    await issue(harness, { memberId: "m-5", code: "RFND234567", sentAt: daysAgo(2) });
    await harness.deliver(purchaseWithCodes("m-5", "o-r", HOUR_AGO, ["RFND234567"], { lines }));
    await harness.deliver(refund("m-5", "r-1", "o-r", NOW, { lines: [{ sku: "cap", quantity: 1 }] }));
    expect((await harness.repository.getOffer("m-5", "RFND234567"))?.redemption?.orderId).toBe("o-r");
    expect(await redeemedCount(harness)).toBe(1);

    await harness.deliver(refund("m-5", "r-2", "o-r", NOW, { lines: [{ sku: "tee", quantity: 1 }] }));
    expect((await harness.repository.getOffer("m-5", "RFND234567"))?.redemption).toBeUndefined();
    expect(await redeemedCount(harness)).toBe(0);
    const view = await memberView(harness, "m-5");
    const reversal = view?.entries.find((e) => e.details?.type === "refund" && e.details.fullyRefunded);
    expect(reversal?.details).toMatchObject({ offersRestored: [{ code: "RFND234567" }] });
    // The offer's bonus went back with the order.
    expect(view?.pending).toBe(0);

    await harness.deliver(purchaseWithCodes("m-5", "o-again", NOW, ["RFND234567"]));
    expect((await harness.repository.getOffer("m-5", "RFND234567"))?.redemption?.orderId).toBe("o-again");
    expect(await redeemedCount(harness)).toBe(1);
  });

  it("hold a minimum spend", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const offer = { ...bonusOffer, id: "ten-off-50", kind: "percent-off" as const };
    await issue(harness, {
      memberId: "m-6",
      code: "MNSP234567",
      sentAt: daysAgo(1),
      offer: { ...offer, value: 10, minSpendMinor: 5000 },
    });
    await harness.deliver(purchaseWithCodes("m-6", "o-small", HOUR_AGO, ["MNSP234567"]));
    await harness.deliver(
      purchaseWithCodes("m-6", "o-big", HOUR_AGO, ["MNSP234567"], {
        lines: [{ sku: "coat", category: "apparel", quantity: 1, unitPrice: 6000 }],
      }),
    );
    const outcomes = offerOutcomes((await memberView(harness, "m-6"))?.entries ?? []);
    expect(outcomes.get("o-small")?.rejected).toEqual([
      { code: "MNSP234567", reason: "below-minimum-spend" },
    ]);
    expect(outcomes.get("o-big")?.redeemed).toMatchObject([
      { discountMinor: 600, points: 0, costMinor: 600 },
    ]);
  });

  it("unlock a reward offer's catalogue reward and count its points at their cost for the campaign", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const program = await harness.deps.programs.inEffectAt(NOW);
    const coffee = program?.rewards.find((r) => r.rewardId === "free-coffee");
    await issue(harness, {
      memberId: "m-7",
      code: "RWRD234567",
      sentAt: daysAgo(1),
      offer: { ...bonusOffer, id: "coffee-gift", kind: "reward", value: 1, rewardId: "free-coffee" },
    });
    await harness.deliver(purchaseWithCodes("m-7", "o-gift", HOUR_AGO, ["RWRD234567"]));

    const view = await memberView(harness, "m-7");
    expect(view?.unlockedRewards).toBe(1);
    expect(offerOutcomes(view?.entries ?? []).get("o-gift")?.redeemed).toMatchObject([
      { code: "RWRD234567", reward: { rewardId: "free-coffee", copies: 1 } },
    ]);
    const counters = await readCampaignCounters(harness.client, harness.table.tableName);
    expect(counters["win-back-step-1"]).toMatchObject({
      redeemed: 1,
      incentiveCostMinor: (coffee?.pointsCost ?? 0) * (program?.retention.offers.pointCostMinor ?? 0),
    });
    expect(coffee?.pointsCost).toBeGreaterThan(0);
  });

  it("store an issued code until 90 days after its last valid day (TTL)", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const instance = await issue(harness, { memberId: "m-8", code: "TTXX234567", sentAt: daysAgo(2) });
    const { Item } = await harness.client.send(
      new GetItemCommand({ TableName: harness.table.tableName, Key: offerItemKey("m-8", "TTXX234567") }),
    );
    // The end of the last valid day (the start of the next), 90 days on, in epoch seconds.
    const lastValidDayEnd = Date.parse(`${addDays(instance.validUntil, 1)}T00:00:00Z`);
    expect(Number(Item?.expiresAt?.N)).toBe(lastValidDayEnd / 1000 + 90 * 86_400);
    expect(instance.validUntil).toBe(addDays("2025-03-26", 29));
  });
});
