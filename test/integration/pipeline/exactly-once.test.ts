import { afterEach, describe, expect, inject, it, type MockInstance, vi } from "vitest";
import { enrolment, interaction, purchase, refund } from "./events";
import { createHarness, type Harness } from "./harness";
import { ledgerSum, memberView } from "./member-view";

// Exactly once on the business key, for ever: not bounded by the STATE item's recent-keys ring, not
// fooled by a producer that re-stamps occurredAt, and unique across members.

const NOW = "2025-03-28T12:00:00Z";
const tee = { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 1999 };
const mug = { sku: "MUG-2", category: "home", quantity: 2, unitPrice: 750 };
const at = (minute: number) => new Date(Date.parse("2025-03-26T08:00:00Z") + minute * 60_000).toISOString();
const rejectedCount = (addMetric: MockInstance) =>
  addMetric.mock.calls.filter(([name]) => name === "EventsRejected").length;

describe("exactly once on business keys", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("a re-sent order with a new occurredAt earns once, even after 40 newer changes", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const first = purchase("x1", "O-1", at(0), [tee]);
    expect((await harness.deliver(first)).status).toBe("committed");
    for (let n = 1; n <= 40; n += 1) {
      const event =
        n % 2 === 0
          ? purchase("x1", `O-${n + 1}`, at(n), [mug])
          : interaction("x1", `I-${n}`, "app-login", at(n));
      await harness.deliver(event);
    }
    const before = await memberView(harness, "x1");
    const resent = purchase("x1", "O-1", at(100), [tee]);
    expect((await harness.deliver(resent)).status).toBe("duplicate");
    expect((await harness.deliver({ ...first, id: "redelivered" })).status).toBe("duplicate");
    const after = await memberView(harness, "x1");
    expect(after).toEqual(before);
    const ofO1 = after?.entries.filter((entry) => entry.sourceKey === "purchase:retail.pos.store-042:O-1");
    expect(ofO1?.map((entry) => entry.kind).sort()).toEqual(["bonus", "earn"]);
    expect(ledgerSum(after?.entries ?? [])).toBe((after?.spendable ?? 0) + (after?.pending ?? 0));
  });

  it("one order cannot earn for two members: the second is parked as a conflict", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    expect((await harness.deliver(purchase("x2", "O-SHARED", at(0), [tee]))).status).toBe("committed");
    const other = await harness.deliver(purchase("x3", "O-SHARED", at(1), [tee]));
    expect(other).toMatchObject({ status: "rejected", reason: "idempotency-key-conflict" });
    expect(await memberView(harness, "x3")).toBeUndefined();
    const parked = harness.rejected.items.at(-1);
    expect(parked?.reason).toBe("idempotency-key-conflict");
    // Both fingerprints are kept for the operator; neither is the raw payload.
    const message = parked?.errors[0]?.message ?? "";
    expect(message).toMatch(/applied [0-9A-Za-z_-]{22}, this event [0-9A-Za-z_-]{22}/);
    expect(message).not.toContain("x2");
  });

  it("the same key with a different amount is a conflict, not a silent duplicate", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const first = purchase("x4", "O-7", at(0), [tee]);
    expect((await harness.deliver(first)).status).toBe("committed");
    const before = await memberView(harness, "x4");
    const changed = purchase("x4", "O-7", at(0), [tee, mug]);
    expect(await harness.deliver(changed)).toMatchObject({
      status: "rejected",
      reason: "idempotency-key-conflict",
    });
    expect(await memberView(harness, "x4")).toEqual(before);
  });

  it("a capped interaction re-sent into another period has no effect either", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const reviews = Array.from({ length: 6 }, (_, n) => interaction("x5", `R-${n}`, "review-written", at(n)));
    for (const review of reviews) await harness.deliver(review);
    const last = reviews.at(-1);
    const before = await memberView(harness, "x5");
    if (!last) throw new Error("no reviews");
    const resent = { ...last, id: "resent", detail: { ...last.detail, occurredAt: "2025-02-27T10:00:00Z" } };
    expect((await harness.deliver(resent)).status).toBe("duplicate");
    expect(await memberView(harness, "x5")).toEqual(before);
  });

  it("refund ids are scoped by source, and a refund in another currency is rejected", async () => {
    // The web shop refunds a store order below, which only a refund authority may.
    harness = await createHarness(inject("dynamoEndpoint"), {
      now: NOW,
      refundAuthoritySources: ["retail.web.*"],
    });
    await harness.deliver(enrolment("x6", at(0)));
    await harness.deliver(purchase("x6", "O-A", at(1), [tee, mug]));
    await harness.deliver(purchase("x6", "O-B", at(2), [tee, mug], 0));
    const fromPos = refund("x6", "R-1", "O-A", at(3), { amount: 500 });
    const fromWeb = {
      ...refund("x6", "R-1", "O-B", at(4), { amount: 500 }),
      source: "retail.web.shop",
    };
    fromWeb.detail.originalOrderSource = "retail.pos.store-042";
    expect((await harness.deliver(fromPos)).status).toBe("committed");
    expect((await harness.deliver(fromWeb)).status).toBe("committed");
    const reversals = (await memberView(harness, "x6"))?.entries.filter((entry) => entry.kind === "reverse");
    expect(reversals).toHaveLength(2);

    const yen = refund("x6", "R-2", "O-A", at(5), { amount: 5000 });
    yen.detail.currency = "JPY";
    const result = await harness.deliver(yen);
    expect(result).toMatchObject({ status: "rejected", reason: "INVALID_FACTS" });
    expect(result.status === "rejected" && result.errors[0]?.path).toBe("detail.currency");
  });

  it("a refund re-sent with another amount is a counted conflict; the same refund again stays a duplicate", async () => {
    // A ring of one, so the re-sends below are judged by the key record, not the ring.
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, recentKeyLimit: 1 });
    const addMetric = vi.spyOn(harness.deps.metrics, "addMetric");
    await harness.deliver(enrolment("x7", at(0)));
    await harness.deliver(purchase("x7", "O-R", at(1), [tee, mug]));
    const first = refund("x7", "R-1", "O-R", at(2), { amount: 500 });
    expect((await harness.deliver(first)).status).toBe("committed");
    expect((await harness.deliver(purchase("x7", "O-S", at(3), [mug]))).status).toBe("committed");
    const before = await memberView(harness, "x7");

    const larger = refund("x7", "R-1", "O-R", at(4), { amount: 900 });
    expect(await harness.deliver(larger)).toMatchObject({
      status: "rejected",
      reason: "idempotency-key-conflict",
      errors: [{ message: expect.stringContaining("for this member with another payload") }],
    });
    expect(rejectedCount(addMetric)).toBe(1);
    expect(harness.rejected.items.at(-1)?.reason).toBe("idempotency-key-conflict");

    const resent = { ...first, id: "resent", detail: { ...first.detail, occurredAt: at(5) } };
    expect((await harness.deliver(resent)).status).toBe("duplicate");
    expect(rejectedCount(addMetric)).toBe(1);
    expect(await memberView(harness, "x7")).toEqual(before);
  });

  it("a refund id already used for another member is a parked conflict, not an order never found", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const addMetric = vi.spyOn(harness.deps.metrics, "addMetric");
    for (const member of ["x8", "x9"]) {
      await harness.deliver(enrolment(member, at(0)));
      await harness.deliver(purchase(member, `O-${member}`, at(1), [tee]));
    }
    expect((await harness.deliver(refund("x8", "R-1", "O-x8", at(2), { amount: 500 }))).status).toBe(
      "committed",
    );
    const before = await memberView(harness, "x9");
    const conflict = {
      status: "rejected",
      reason: "idempotency-key-conflict",
      errors: [{ message: expect.stringContaining("for another member") }],
    };
    // Naming the first member's order: the second member's ledger has no such purchase.
    expect(await harness.deliver(refund("x9", "R-1", "O-x8", at(3), { amount: 500 }))).toMatchObject(
      conflict,
    );
    // Naming the second member's own order.
    expect(await harness.deliver(refund("x9", "R-1", "O-x9", at(3), { amount: 500 }))).toMatchObject(
      conflict,
    );
    expect(rejectedCount(addMetric)).toBe(2);
    expect(await memberView(harness, "x9")).toEqual(before);
  });
});
