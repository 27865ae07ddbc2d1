import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { dedicatedDynamoLocal } from "../support/dynamo";
import { deliverAll } from "./delivery";
import { purchase } from "./events";
import { createHarness, type Harness, orderIndependentProgram } from "./harness";
import { ledgerSum, memberView } from "./member-view";

const NOW = "2025-03-28T12:00:00Z";

describe("many events for one member at once", () => {
  let dynamo: DynamoLocal;
  let harness: Harness;
  beforeAll(async () => {
    dynamo = await dedicatedDynamoLocal();
    // A hundred writers on one item: give each a longer, finer-grained optimistic budget (as a consumer for
    // hot members would be configured) instead of exhausting 8 attempts and falling back on redelivery.
    harness = await createHarness(dynamo.endpoint, {
      now: NOW,
      retry: { maxAttempts: 200, baseDelayMs: 5, maxDelayMs: 250 },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await dynamo?.stop();
  });

  it("100 concurrent purchases lose no update", { timeout: 600_000 }, async () => {
    const line = { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 1999 };
    const events = Array.from({ length: 100 }, (_, i) =>
      purchase("hot-member", `HOT-${i}`, `2025-03-10T10:${String(i % 60).padStart(2, "0")}:00Z`, [line]),
    );
    const stats = await deliverAll(harness, events, { concurrency: 100 });
    // Every purchase is applied: committed, or — when a commit's response was lost and the SDK retried a
    // transaction that had in fact landed — answered as the duplicate it then is. The totals below are exact.
    expect((stats.statuses.committed ?? 0) + (stats.statuses.duplicate ?? 0)).toBe(100);

    const view = await memberView(harness, "hot-member");
    const perPurchase = Math.floor(line.unitPrice / 100); // 1 point per EUR 1, rounded down per order
    const welcome = orderIndependentProgram.earning.firstPurchaseBonus?.points ?? 0;
    const tenth =
      orderIndependentProgram.milestones.find((m) => m.ruleId === "tenth-purchase")?.bonusPoints ?? 0;
    expect(view?.pending).toBe(100 * perPurchase + welcome + tenth);
    expect(view?.statusPoints).toBe(100 * perPurchase);
    expect(view?.entries.filter((e) => e.kind === "earn")).toHaveLength(100);
    expect(ledgerSum(view?.entries ?? [])).toBe((view?.pending ?? 0) + (view?.spendable ?? 0));
  });
});
