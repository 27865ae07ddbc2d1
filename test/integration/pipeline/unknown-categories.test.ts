import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { purchase } from "./events";
import { createHarness, type Harness } from "./harness";

// A purchase line in a category the program does not declare earns base points only: accepted, but counted
// (metric) and explained in the member's ledger, so a producer's new category is noticed.

const NOW = "2025-03-28T12:00:00Z";
const AT = "2025-03-27T10:00:00Z";
const METRIC = "PurchasesWithUnknownCategory";

describe("purchases with a category the program does not declare", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("are counted once per applied purchase and explained in the ledger", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const addMetric = vi.spyOn(harness.deps.metrics, "addMetric");
    const counted = () =>
      addMetric.mock.calls.filter(([name]) => name === METRIC).map(([, , value]) => value);

    const beans = purchase("u1", "O-1", AT, [
      { sku: "BEANS-1", category: "coffee-beans", quantity: 1, unitPrice: 1500 },
      { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 2000 },
    ]);
    expect((await harness.deliver(beans)).status).toBe("committed");
    expect(counted()).toEqual([1]);
    // A redelivery applies nothing, so it counts nothing.
    expect((await harness.deliver({ ...beans, id: "redelivered" })).status).toBe("duplicate");
    // Declared categories only: nothing to count.
    const tee = purchase("u1", "O-2", AT, [
      { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 900 },
    ]);
    expect((await harness.deliver(tee)).status).toBe("committed");
    expect(counted()).toEqual([1]);

    const ledger = await harness.repository.queryLedger<{ entryId: string; reason: string }>("u1", {
      limit: 10,
    });
    const earn = ledger.records.find((r) => r.entry.entryId.endsWith(":O-1"))?.entry;
    expect(earn?.reason).toContain("no category rule for coffee-beans");
  });
});
