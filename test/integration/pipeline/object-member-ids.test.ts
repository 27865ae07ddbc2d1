import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { enrolment, purchase, refund } from "./events";
import { createHarness, type Harness } from "./harness";
import { ledgerSum, memberView } from "./member-view";

// Producers choose ids, and the id rules allow the names every JavaScript object already has. Such an id
// must be an ordinary id in the pipeline: as a member id, an order id, a refund id and a sku.

const NOW = "2025-03-28T12:00:00Z";
const IDS = ["constructor", "__proto__", "toString", "hasOwnProperty"] as const;

/** Enrol, buy two units, re-send the order, return one unit, re-send the return: every id is `id`. */
async function storyOf(harness: Harness, id: string) {
  const line = { sku: id, category: "apparel", quantity: 2, unitPrice: 1000 };
  const email = `${id.replaceAll("_", "u")}@example.com`;
  const returned = refund(id, id, id, "2025-03-11T10:00:00Z", { lines: [{ sku: id, quantity: 1 }] });
  const statuses = [];
  for (const event of [
    enrolment(id, "2025-03-01T10:00:00Z", email),
    purchase(id, id, "2025-03-10T10:00:00Z", [line]),
    purchase(id, id, "2025-03-10T11:00:00Z", [line]),
    returned,
    { ...returned, id: "again" },
  ])
    statuses.push((await harness.deliver(event)).status);
  const view = await memberView(harness, id);
  return {
    statuses,
    spendable: view?.spendable,
    pending: view?.pending,
    statusPoints: view?.statusPoints,
    ledger: view?.entries.map(({ kind, points, pendingPoints }) => ({ kind, points, pendingPoints })),
    ledgerSum: ledgerSum(view?.entries ?? []),
  };
}

describe("ids that name Object's own members", () => {
  let harness: Harness;
  let ordinary: Awaited<ReturnType<typeof storyOf>>;
  beforeAll(async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    ordinary = await storyOf(harness, "m-ordinary");
  });
  afterAll(async () => harness?.close());

  it("the ordinary story: credited once, refunded once", () => {
    expect(ordinary.statuses).toEqual(["committed", "committed", "duplicate", "committed", "duplicate"]);
    expect(ordinary.ledger?.filter((entry) => entry.kind === "reverse")).toHaveLength(1);
    expect(ordinary.ledgerSum).toBeGreaterThan(0);
  });

  it.each(IDS)("%s as member, order, refund and sku id: the same story as an ordinary id", async (id) => {
    expect(await storyOf(harness, id)).toEqual(ordinary);
  });

  it("rejects an event whose detail carries a __proto__ field, naming it", async () => {
    const event = purchase("m-proto", "O-1", "2025-03-10T10:00:00Z", [
      { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 1999 },
    ]);
    // As a producer's JSON arrives: JSON.parse makes "__proto__" an own field of the detail.
    const parsed = JSON.parse(
      JSON.stringify(event).replace('"detail":{', '"detail":{"__proto__":{"points":1},'),
    );
    const result = await harness.deliver(parsed);
    expect(result.status).toBe("rejected");
    if (result.status === "rejected") expect(result.errors.map((e) => e.path)).toContain("detail.__proto__");
    expect(await harness.repository.getMember("m-proto")).toBeUndefined();
  });
});
