import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { dedicatedDynamoLocal } from "../support/dynamo";
import { deliverAll, shuffle } from "./delivery";
import { generateWorkload, seededRandom, withRetries } from "./events";
import { createHarness } from "./harness";
import { keyOf, ledgerSum, memberView } from "./member-view";

// For random interleavings of purchases, refunds and interactions over 50 members — with EventBridge
// redeliveries (same envelope) and producer retries that re-stamp occurredAt (new id, time moved by up
// to two hours either way) — every ledger sums to its member's balance and every business key has
// effect at most once across the whole table.

const NOW = "2025-03-28T12:00:00Z";
const MEMBERS = 50;
const EVENTS = 250;

describe("exactly once under retries with perturbed occurredAt (property)", () => {
  let dynamo: DynamoLocal;
  beforeAll(async () => {
    dynamo = await dedicatedDynamoLocal();
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it("ledger sum = balance, and each business key appears at most once", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        // A ring of 2 recent keys: the guarantee must not depend on the ring's early exit.
        const harness = await createHarness(dynamo.endpoint, { now: NOW, recentKeyLimit: 2 });
        try {
          const workload = generateWorkload(seed, MEMBERS, EVENTS);
          const deliveries = shuffle(withRetries(workload, seed + 1, NOW), seededRandom(seed + 2));
          const stats = await deliverAll(harness, deliveries, { concurrency: 8 });
          expect(stats.statuses.rejected ?? 0).toBe(0);
          expect(stats.statuses.committed ?? 0).toBeLessThanOrEqual(workload.length);

          const seen = new Set<string>();
          for (let m = 0; m < MEMBERS; m += 1) {
            const view = await memberView(harness, `m${String(m).padStart(3, "0")}`);
            if (!view) continue;
            expect(ledgerSum(view.entries)).toBe(view.spendable + view.pending);
            for (const entry of view.entries) {
              const key = keyOf(entry);
              if (key === undefined) continue;
              expect(seen.has(key), key).toBe(false);
              seen.add(key);
            }
          }
          // Every logical purchase and refund took effect (interactions may be capped).
          const applied = [...seen].filter((key) => !key.startsWith("interaction")).length;
          const expected = workload.filter((e) => e["detail-type"] !== "Interaction Recorded").length;
          expect(applied).toBe(expected);
        } finally {
          await harness.close();
        }
      }),
      { numRuns: 3 },
    );
  });
});
