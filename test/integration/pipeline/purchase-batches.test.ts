import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { programSchema } from "../../../domain";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { parseInbound } from "../../../events/envelope";
import type { Inbound } from "../../../functions/pipeline/inbound";
import { commitPurchaseBatch } from "../../../functions/pipeline/process-purchase-batch";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { dedicatedDynamoLocal } from "../support/dynamo";
import { deliverAll, shuffle } from "./delivery";
import { type Envelope, enrolment, generateWorkload, purchase, seededRandom, withRetries } from "./events";
import { createHarness, type Harness } from "./harness";
import { keyOf, ledgerSum, memberView } from "./member-view";

// The purchase consumer as deployed: batches from its SQS queue, the plain purchases of a batch committed
// together, everything else one by one. Exactly once must hold as it does for one event an invocation.

const NOW = "2025-03-28T12:00:00Z";
const LINE = { sku: "sku-1", category: "grocery", quantity: 1, unitPrice: 2_000 };
const buy = (member: number, order: string, occurredAt = "2025-03-20T10:00:00Z") =>
  purchase(`m${String(member).padStart(3, "0")}`, order, occurredAt, [LINE]);
const inbound = (events: readonly Envelope[]) =>
  events.map((event) => {
    const parsed = parseInbound(event);
    if (!parsed.ok || parsed.id !== "purchaseCompleted") throw new Error("not a purchase");
    return parsed as Inbound<"purchaseCompleted">;
  });

/** The TransactWriteItems sent through `client` with these numbers (from 1) fail before they are sent. */
function failTransactions(client: DynamoDBClient, numbers: readonly number[]) {
  let seen = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "TransactWriteItemsCommand") return next(args);
      seen += 1;
      if (numbers.includes(seen)) throw new Error("injected fault before send");
      return next(args);
    },
    { step: "initialize", name: "injectedFaults" },
  );
}

async function balance(harness: Harness, member: number) {
  const view = await memberView(harness, `m${String(member).padStart(3, "0")}`);
  // Entries with a producer's key: a purchase's earn entry (tier and reward entries have none).
  const keyed = view?.entries.flatMap((entry) => keyOf(entry) ?? []) ?? [];
  return { points: (view?.spendable ?? 0) + (view?.pending ?? 0), entries: keyed.length };
}

describe("purchase batches", () => {
  const harnesses: Harness[] = [];
  const harness = async (options: { recentKeyLimit?: number } = {}) => {
    const created = await createHarness(inject("dynamoEndpoint"), { now: NOW, ...options });
    harnesses.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  it("commits ten members' purchases together, each as one by one would", async () => {
    const [together, alone] = [await harness(), await harness()];
    const events = Array.from({ length: 10 }, (_, m) => buy(m, `O-${m}`));
    const outcomes = await commitPurchaseBatch(together.deps, inbound(events));
    expect([...outcomes.keys()].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    for (const event of events) await alone.deliver(event);
    for (let m = 0; m < 10; m += 1) expect(await balance(together, m)).toEqual(await balance(alone, m));
    // Sent again, the batch changes nothing: every event is a duplicate.
    const again = await together.deliverBatch(events);
    expect(again.batchItemFailures).toEqual([]);
    for (let m = 0; m < 10; m += 1) expect(await balance(together, m)).toEqual(await balance(alone, m));
  });

  it("leaves a member's second purchase and a key's re-send to the one-by-one path, in order", async () => {
    const h = await harness();
    const first = buy(1, "O-1");
    const events = [first, buy(1, "O-2", "2025-03-20T11:00:00Z"), { ...first, id: "resent" }, buy(2, "O-3")];
    const outcomes = await commitPurchaseBatch(h.deps, inbound(events));
    expect([...outcomes.keys()]).toEqual([0, 3]);
    const { batchItemFailures } = await h.deliverBatch(events.map((e) => ({ ...e, id: `${e.id}-b` })));
    expect(batchItemFailures).toEqual([]);
    // Member 1: O-1 once (not its re-send), O-2 once; member 2: O-3 once, from the first call.
    expect((await balance(h, 1)).entries).toBe(2);
    expect((await balance(h, 2)).entries).toBe(1);
  });

  it("runs the whole transaction one by one when a key was applied long ago (not on the STATE ring)", async () => {
    const h = await harness({ recentKeyLimit: 1 });
    const old = buy(3, "O-old", "2025-03-10T10:00:00Z");
    await h.deliver(old);
    await h.deliver(buy(3, "O-newer", "2025-03-11T10:00:00Z"));
    const events = [...Array.from({ length: 9 }, (_, m) => buy(m + 10, `O-${m + 10}`)), old];
    // The batch's transaction is cancelled on O-old's key record: nothing of it is written by the batch.
    const outcomes = await commitPurchaseBatch(h.deps, inbound(events));
    expect(outcomes.size).toBe(0);
    const { batchItemFailures } = await h.deliverBatch(events);
    expect(batchItemFailures).toEqual([]);
    expect(await balance(h, 3)).toMatchObject({ entries: 2 });
    for (let m = 10; m < 19; m += 1) expect((await balance(h, m)).entries).toBe(1);
  });

  it("parks an invalid record by itself, and reports only a record that failed retryably", async () => {
    const h = await harness();
    const bad = { ...buy(4, "O-bad"), detail: { ...buy(4, "O-bad").detail, total: -5 } };
    const events = [buy(5, "O-5"), bad, "not json", buy(6, "O-6")];
    // The transaction of the plain purchases fails on the way out, and so does the next one (member 6 alone).
    failTransactions(h.client, [1, 3]);
    const { batchItemFailures } = await h.deliverBatch(events);
    expect(batchItemFailures).toEqual([{ itemIdentifier: "3" }]);
    expect(h.rejected.items.map((item) => item.reason).sort()).toEqual(["INVALID_EVENT", "INVALID_EVENT"]);
    expect((await balance(h, 5)).entries).toBe(1);
    expect((await balance(h, 6)).entries).toBe(0);
    // SQS redelivers record 3 alone.
    expect((await h.deliverBatch([buy(6, "O-6")])).batchItemFailures).toEqual([]);
    expect((await balance(h, 6)).entries).toBe(1);
  });
});

describe("purchase batches under the program's policies", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it("leaves an unknown member (reject policy) and a future event to the one-by-one path's errors", async () => {
    const program = programSchema.parse({
      ...exampleProgramInput,
      membership: { unknownMemberPolicy: "reject" },
    });
    h = await createHarness(inject("dynamoEndpoint"), { now: NOW, program });
    await h.deliver(enrolment("m007", "2025-03-01T10:00:00Z"));
    const events = [buy(7, "O-7"), buy(8, "O-8"), buy(7, "O-future", "2025-03-29T12:00:00Z")];
    const { batchItemFailures } = await h.deliverBatch(events);
    // Member 8 is not enrolled: retried by SQS. The future purchase is parked. Member 7's purchase is applied.
    expect(batchItemFailures).toEqual([{ itemIdentifier: "1" }]);
    expect(h.rejected.items.map((item) => item.reason)).toEqual(["occurred-in-future"]);
    expect((await balance(h, 7)).entries).toBe(1);
    expect(await memberView(h, "m008")).toBeUndefined();
  });
});

describe("exactly once over batches (property)", () => {
  let dynamo: DynamoLocal;
  beforeAll(async () => {
    dynamo = await dedicatedDynamoLocal();
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it("ledger sum = balance, each business key once, every purchase and refund applied", {
    timeout: 600_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const h = await createHarness(dynamo.endpoint, { now: NOW, recentKeyLimit: 2 });
        try {
          const workload = generateWorkload(seed, 30, 200);
          const deliveries = shuffle(withRetries(workload, seed + 1, NOW), seededRandom(seed + 2));
          // Duplicates land in one batch and across batches; 4 batches (or single events) in flight.
          const stats = await deliverAll(h, deliveries, { concurrency: 4, purchaseBatchSize: 10 });
          expect(stats.statuses.batched).toBeGreaterThan(0);
          expect(h.rejected.items).toEqual([]);
          const seen = new Set<string>();
          for (let m = 0; m < 30; m += 1) {
            const view = await memberView(h, `m${String(m).padStart(3, "0")}`);
            if (!view) continue;
            expect(ledgerSum(view.entries)).toBe(view.spendable + view.pending);
            for (const key of view.entries.flatMap((entry) => keyOf(entry) ?? [])) {
              expect(seen.has(key), key).toBe(false);
              seen.add(key);
            }
          }
          const applied = [...seen].filter((key) => !key.startsWith("interaction")).length;
          expect(applied).toBe(workload.filter((e) => e["detail-type"] !== "Interaction Recorded").length);
        } finally {
          await h.close();
        }
      }),
      { numRuns: 3 },
    );
  });
});
