import { afterEach, describe, expect, inject, it } from "vitest";
import { defaultProducers, producerSourcePatterns } from "../../../infra/config";
import { enrolment, purchase, refund } from "./events";
import { createHarness, type Harness } from "./harness";
import { memberView } from "./member-view";

// A producer speaks only for itself: a till may refund the POS's orders (any store's), not the web shop's,
// unless the retailer made it a refund authority. Both come from the stack's producer list: each producer's
// sources (PRODUCER_SOURCES) and the authorities' (REFUND_AUTHORITY_SOURCES).

const NOW = "2025-03-28T12:00:00Z";
const tee = { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 1999 };
const at = (minute: number) => new Date(Date.parse("2025-03-26T08:00:00Z") + minute * 60_000).toISOString();
const web = "retail.web.shop";
const producerSources = producerSourcePatterns(defaultProducers);

/** An order placed at `orderSource`, refunded by the POS's store-042. */
async function refundedByPos(harness: Harness, orderSource: string) {
  await harness.deliver(enrolment("r1", at(0)));
  const order = { ...purchase("r1", "W-1", at(1), [tee]), source: orderSource };
  expect((await harness.deliver(order)).status).toBe("committed");
  const fromPos = refund("r1", "R-1", "W-1", at(2), { amount: 1999 });
  fromPos.detail.originalOrderSource = orderSource;
  return harness.deliver(fromPos);
}
const webOrderRefundedByPos = (harness: Harness) => refundedByPos(harness, web);

describe("refunds of another producer's orders", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("are rejected with reason and field when the POS is no refund authority, and change nothing", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, producerSources });
    const result = await webOrderRefundedByPos(harness);
    expect(result).toMatchObject({
      status: "rejected",
      reason: "refund-of-foreign-order",
      errors: [{ path: "detail.originalOrderSource" }],
    });
    expect(harness.rejected.items.map((item) => item.reason)).toContain("refund-of-foreign-order");
    const view = await memberView(harness, "r1");
    expect(view?.entries.filter((entry) => entry.kind === "reverse")).toEqual([]);
  });

  it("are applied when the POS is a refund authority", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), {
      now: NOW,
      refundAuthoritySources: ["retail.pos.*"],
    });
    expect((await webOrderRefundedByPos(harness)).status).toBe("committed");
    const view = await memberView(harness, "r1");
    expect(view?.entries.filter((entry) => entry.kind === "reverse")).toHaveLength(1);
  });

  it("are not those of another store of the same producer: store-042 refunds an order store-017 took", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, producerSources });
    expect((await refundedByPos(harness, "retail.pos.store-017")).status).toBe("committed");
    const view = await memberView(harness, "r1");
    expect(view?.entries.filter((entry) => entry.kind === "reverse")).toHaveLength(1);
    expect(harness.rejected.items).toEqual([]);
  });
});
