import { afterEach, describe, expect, inject, it } from "vitest";
import { parseInbound } from "../../../events/envelope";
import { conflictEveryTransaction, failNthTransaction } from "../support/faults";
import { deliverInOrder } from "./delivery";
import { type Envelope, generateWorkload, purchase } from "./events";
import { createHarness, type Harness, lambdaContext } from "./harness";
import { ledgerSum, type MemberView, memberView } from "./member-view";

const NOW = "2025-03-28T12:00:00Z";
const MEMBERS = 5;

async function views(harness: Harness): Promise<(MemberView | undefined)[]> {
  return Promise.all(
    Array.from({ length: MEMBERS }, (_, m) => memberView(harness, `m${String(m).padStart(3, "0")}`)),
  );
}

describe("a commit that fails mid-batch", () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  it.each(["before-send", "after-commit"] as const)(
    "%s: leaves no partial state and the redelivery converges",
    async (when) => {
      const endpoint = inject("dynamoEndpoint");
      const [reference, faulty] = await Promise.all([
        createHarness(endpoint, { now: NOW }),
        createHarness(endpoint, { now: NOW }),
      ]);
      harnesses.push(reference, faulty);
      const workload = generateWorkload(7, MEMBERS, 60);
      await deliverInOrder(reference, workload);

      failNthTransaction(faulty.client, 25, when);
      let failed: Envelope | undefined;
      for (const event of workload) {
        try {
          await faulty.deliver(event);
        } catch (error) {
          expect(String(error)).toMatch(/injected fault/);
          failed = event;
          const memberId = String(event.detail.memberId);
          const view = await memberView(faulty, memberId);
          // Atomic: the ledger and the balance agree whether the transaction landed or not.
          expect(ledgerSum(view?.entries ?? [])).toBe((view?.spendable ?? 0) + (view?.pending ?? 0));
          const parsed = parseInbound(event);
          const sourceKey = parsed.ok ? parsed.idempotencyKey : "";
          const applied = view?.entries.some((e) => e.sourceKey === sourceKey) ?? false;
          expect(applied).toBe(when === "after-commit");
          // EventBridge retries the failed delivery.
          const retry = await faulty.deliver(event);
          expect(retry.status).toBe(when === "after-commit" ? "duplicate" : "committed");
        }
      }
      expect(failed).toBeDefined();
      expect(await views(faulty)).toEqual(await views(reference));
    },
  );
});

describe("an invocation that times out", () => {
  it("stops retrying its conflicts once middy aborts it, so it cannot race its own redelivery", async () => {
    const harness = await createHarness(inject("dynamoEndpoint"), {
      now: NOW,
      retry: { maxAttempts: 100_000, baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      const conflicts = conflictEveryTransaction(harness.client);
      const shortLived = { ...lambdaContext, getRemainingTimeInMillis: () => 300 };
      const line = { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 1999 };
      const event = purchase("timed-out", "T-1", "2025-03-10T10:00:00Z", [line]);
      await expect(harness.deliver(event, shortLived)).rejects.toThrow(/aborted/);
      const atTimeout = conflicts.attempts();
      expect(atTimeout).toBeGreaterThan(1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // At most the attempt in flight when the signal fired finishes; none starts after it.
      expect(conflicts.attempts()).toBeLessThanOrEqual(atTimeout + 1);
    } finally {
      await harness.close();
    }
  });
});
