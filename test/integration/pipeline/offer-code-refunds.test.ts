import { afterEach, describe, expect, inject, it } from "vitest";
import type { Program } from "../../../domain";
import { readCampaignCounters } from "../../../functions/adapters/dynamo/campaign-counters";
import { refund } from "./events";
import { createHarness, type Harness, orderIndependentProgram } from "./harness";
import { basket, bonusOffer, issue, purchaseWithCodes } from "./offers";

// What offer codes cost their campaign, and which full refunds give a code back: through the real consumer
// handlers and DynamoDB Local.

const NOW = "2025-03-28T12:00:00Z";
const HOUR_AGO = "2025-03-28T11:00:00Z";
const daysAgo = (days: number) => new Date(Date.parse(NOW) - days * 86_400_000).toISOString();
const tenPercent = { ...bonusOffer, id: "ten-percent", kind: "percent-off" as const, value: 10 };
const fullRefund = (memberId: string, refundId: string, orderId: string) =>
  refund(memberId, refundId, orderId, NOW, { lines: basket.map(({ sku, quantity }) => ({ sku, quantity })) });

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

async function campaign(trigger = "win-back-step-1") {
  return (await readCampaignCounters(harness.client, harness.table.tableName))[trigger];
}

async function redeemedBy(memberId: string, code: string) {
  return (await harness.repository.getOffer(memberId, code))?.redemption?.orderId;
}

describe("offer codes and their campaign's incentive cost", () => {
  it("add up what each redeemed code cost, and take back what a restoring refund gives back", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await issue(harness, { memberId: "m-1", code: "CSTA234567", sentAt: daysAgo(2) });
    await issue(harness, { memberId: "m-2", code: "CSTB234567", sentAt: daysAgo(2), offer: tenPercent });
    await harness.deliver(purchaseWithCodes("m-1", "o-1", HOUR_AGO, ["CSTA234567"]));
    await harness.deliver(purchaseWithCodes("m-2", "o-2", HOUR_AGO, ["CSTB234567"]));
    // 250 bonus points at 1 minor unit each, and 10% of the 4000 basket.
    const pointCost = orderIndependentProgram.retention.offers.pointCostMinor;
    expect(await campaign()).toMatchObject({ redeemed: 2, incentiveCostMinor: 250 * pointCost + 400 });

    await harness.deliver(fullRefund("m-2", "r-2", "o-2"));
    expect(await redeemedBy("m-2", "CSTB234567")).toBeUndefined();
    expect(await campaign()).toMatchObject({ redeemed: 1, incentiveCostMinor: 250 * pointCost });
  });

  it("keep a code spent when the whole order is refunded after its last valid day", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    // Valid for 30 days from 40 days ago: used 15 days ago, refunded (processed) now, 10 days after its last day.
    await issue(harness, { memberId: "m-3", code: "XATE234567", sentAt: daysAgo(40) });
    await harness.deliver(purchaseWithCodes("m-3", "o-3", daysAgo(15), ["XATE234567"]));
    expect(await redeemedBy("m-3", "XATE234567")).toBe("o-3");

    await harness.deliver(fullRefund("m-3", "r-3", "o-3"));
    expect(await redeemedBy("m-3", "XATE234567")).toBe("o-3");
    expect(await campaign()).toMatchObject({ redeemed: 1, incentiveCostMinor: 250 });
  });

  it("keep a code spent on a full refund when restoreOnFullRefund is off", async () => {
    const program: Program = {
      ...orderIndependentProgram,
      retention: {
        ...orderIndependentProgram.retention,
        offers: { ...orderIndependentProgram.retention.offers, restoreOnFullRefund: false },
      },
    };
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, program });
    await issue(harness, { memberId: "m-4", code: "KEEP234567", sentAt: daysAgo(2) });
    await harness.deliver(purchaseWithCodes("m-4", "o-4", HOUR_AGO, ["KEEP234567"]));
    await harness.deliver(fullRefund("m-4", "r-4", "o-4"));
    expect(await redeemedBy("m-4", "KEEP234567")).toBe("o-4");
    expect(await campaign()).toMatchObject({ redeemed: 1 });
  });
});
