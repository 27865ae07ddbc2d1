import { type AttributeValue, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type LedgerEntry, type MemberState, type ProgramInput, programSchema } from "../../../domain";
import { challengeEntryId } from "../../../domain/challenges/challenge-completion";
import { exampleProgramInput } from "../../../domain/program/example-program";
import {
  attachCapacityCounter,
  type CapacityCounter,
} from "../../../functions/adapters/dynamo/capacity-counter";
import { itemSize } from "../../../functions/adapters/dynamo/item-size";
import { challengeCompletionKey, ledgerSortKey } from "../../../functions/adapters/dynamo/keys";
import { envelope, purchase } from "./events";
import { createHarness, type Harness } from "./harness";

// A challenge across its window boundary, through the real consumers and DynamoDB Local: the event just inside
// the window completes it (once, whatever is redelivered), the event at the deadline does not. Also the write
// units of a purchase by a member with a challenge running, measured with the capacity counter (BENCHMARKS.md).

const endpoint = inject("dynamoEndpoint");

const input: ProgramInput = structuredClone(exampleProgramInput);
input.challenges = [
  ...(input.challenges ?? []),
  {
    challengeId: "march-explorer",
    name: "Two categories in March",
    window: { kind: "absolute", startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-04-01T00:00:00Z" },
    goal: { metric: "distinctCategories", target: 2 },
    reward: { points: 0, badge: { badgeId: "explorer", name: "Explorer" } },
  },
];
// Every event below arrives in time (processing time is fixed just after the March deadline).
input.timePolicy = { lateArrivalDays: 60 };
const program = programSchema.parse(input);

const NOW = "2026-04-01T00:00:05Z";
let h: Harness;
let counter: CapacityCounter;

/** Sizes of the items of the last TransactWriteItems, by DynamoDB's size rules. */
let lastTransactSizes: number[] = [];

beforeAll(async () => {
  h = await createHarness(endpoint, { program, now: NOW });
  counter = attachCapacityCounter(h.client);
  h.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "TransactWriteItemsCommand") {
        const actions = (
          args.input as { TransactItems: { Put?: { Item: Record<string, AttributeValue> } }[] }
        ).TransactItems;
        lastTransactSizes = actions.map((action) => (action.Put ? itemSize(action.Put.Item) : 0));
      }
      return next(args);
    },
    { step: "initialize", name: "challengeItemSizes" },
  );
});
afterAll(async () => h.close());

const coffee = [{ sku: "ESPRESSO", category: "coffee", quantity: 2, unitPrice: 450 }];
const bread = [{ sku: "BAGUETTE", category: "bakery", quantity: 1, unitPrice: 600 }];

const optIn = (memberId: string, at: string, id = "1") =>
  envelope(
    "Interaction Recorded",
    {
      schemaVersion: "1",
      interactionId: `opt-in-${memberId}-${id}`,
      memberId,
      kind: "challenge-opt-in",
      occurredAt: at,
      attributes: { challengeId: "three-visits-30-days" },
    },
    { source: "retail.app.mobile" },
  );

async function deliver(event: unknown) {
  const result = await h.deliver(event);
  expect(result.status, JSON.stringify(result)).not.toBe("rejected");
  return result;
}

async function ledger(memberId: string): Promise<LedgerEntry[]> {
  const page = await h.repository.queryLedger<LedgerEntry>(memberId, { limit: 100 });
  return page.records.map((r) => r.entry);
}

async function state(memberId: string): Promise<MemberState | undefined> {
  return (await h.repository.getMember<MemberState & Record<string, unknown>>(memberId))?.state;
}

describe("a rolling challenge across its window boundary", () => {
  // Opt-in at 2026-03-02T10:00Z: the 30-day window ends at 2026-04-01T10:00Z, after NOW, so the boundary
  // is tested with an absolute window below and here with the opt-in's start.
  it("counts purchases from the opt-in on, and completes on the third: once, however often it is redelivered", async () => {
    await deliver(purchase("m-roll", "R-0", "2026-03-01T09:00:00Z", coffee));
    await deliver(optIn("m-roll", "2026-03-02T10:00:00Z"));
    await deliver(purchase("m-roll", "R-1", "2026-03-02T09:59:59Z", coffee)); // before the opt-in instant
    await deliver(purchase("m-roll", "R-2", "2026-03-02T10:00:00Z", coffee));
    await deliver(purchase("m-roll", "R-3", "2026-03-15T10:00:00Z", coffee));
    const before = await state("m-roll");
    expect(before?.challenges?.active).toContainEqual(
      expect.objectContaining({
        challengeId: "three-visits-30-days",
        progress: 2,
        endsAt: "2026-04-01T10:00:00.000Z",
      }),
    );

    const third = purchase("m-roll", "R-4", "2026-03-31T23:00:00Z", coffee);
    expect((await deliver(third)).status).toBe("committed");
    expect((await deliver(third)).status).toBe("duplicate");
    const entries = await ledger("m-roll");
    const completions = entries.filter((e) => e.details?.type === "challenge");
    expect(completions.map((e) => e.entryId)).toEqual([challengeEntryId("three-visits-30-days", "m-roll")]);
    expect(completions[0]).toMatchObject({ points: 250, sourceKey: expect.stringContaining("R-4") });
    const after = await state("m-roll");
    expect(after?.challenges?.completed).toEqual(["three-visits-30-days"]);
    expect(after?.challenges?.badges).toEqual([{ badgeId: "regular", awardedOn: "2026-03-31" }]);

    // Another opt-in after completion has no effect.
    expect((await deliver(optIn("m-roll", "2026-03-31T23:30:00Z", "2"))).status).toBe("unchanged");
  });
});

describe("an absolute challenge across its window boundary", () => {
  it("an event just inside the window completes it; the same event at the deadline does not", async () => {
    await deliver(purchase("m-inside", "I-1", "2026-03-10T12:00:00Z", coffee));
    await deliver(purchase("m-inside", "I-2", "2026-03-31T23:59:59.999Z", bread));
    await deliver(purchase("m-outside", "O-1", "2026-03-10T12:00:00Z", coffee));
    await deliver(purchase("m-outside", "O-2", "2026-04-01T00:00:00.000Z", bread));

    const inside = (await ledger("m-inside")).filter((e) => e.details?.type === "challenge");
    expect(inside.map((e) => e.ruleIds[0])).toEqual(["march-explorer"]);
    expect((await state("m-inside"))?.challenges?.badges.map((b) => b.badgeId)).toEqual(["explorer"]);
    expect((await ledger("m-outside")).filter((e) => e.details?.type === "challenge")).toEqual([]);
    expect((await state("m-outside"))?.challenges?.active).toEqual([
      expect.objectContaining({ challengeId: "march-explorer", progress: 1, categories: ["coffee"] }),
    ]);
  });
});

describe("completion once for ever, after the state has forgotten it", () => {
  it("a member whose completed list no longer holds the challenge (100 newer completions) cannot complete it again", async () => {
    await deliver(purchase("m-forget", "F-1", "2026-03-05T12:00:00Z", coffee));
    await deliver(purchase("m-forget", "F-2", "2026-03-06T12:00:00Z", bread));
    const completion = (e: LedgerEntry) => e.details?.type === "challenge";
    const [first] = (await ledger("m-forget")).filter(completion);
    expect(first).toBeDefined();
    // The completing commit recorded the completion for ever, pointing at its entry.
    const record = await h.repository.getAppliedKey(challengeCompletionKey("march-explorer", "m-forget"));
    expect(record).toMatchObject({ memberId: "m-forget", ledgerSk: ledgerSortKey(first as LedgerEntry) });

    // As after 100 newer completions: `completed` and `badges` keep the newest 100, so the id has aged out.
    const snapshot = await h.repository.getMember<MemberState & Record<string, unknown>>("m-forget");
    if (!snapshot) throw new Error("m-forget not stored");
    const forgot = structuredClone(snapshot.state);
    forgot.challenges = { active: [], completed: [], badges: [] };
    await h.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          h.repository.statePutAction({ memberId: "m-forget", previous: snapshot, nextState: forgot }),
        ],
      }),
    );

    // Two more categories inside the window would complete it again; the purchases still earn.
    await deliver(purchase("m-forget", "F-3", "2026-03-20T12:00:00Z", coffee));
    expect((await deliver(purchase("m-forget", "F-4", "2026-03-21T12:00:00Z", bread))).status).toBe(
      "committed",
    );
    const entries = await ledger("m-forget");
    expect(entries.filter(completion)).toEqual([first]);
    const earned = entries.filter((e) => e.kind === "earn").map((e) => e.sourceKey.split(":").at(-1));
    expect(earned.sort()).toEqual(["F-1", "F-2", "F-3", "F-4"]);
    const after = await state("m-forget");
    // The store's answer is remembered again: the challenge is completed, not in progress, and no badge twice.
    expect(after?.challenges?.completed).toEqual(["march-explorer"]);
    expect(after?.challenges?.active.map((a) => a.challengeId)).not.toContain("march-explorer");
    expect(after?.challenges?.badges).toEqual([]);
  });
});

describe("write units of the purchase path with challenges", () => {
  it("a purchase by a member with active challenges writes the same 3 items (6 WU); a completion adds its entry and record", async () => {
    // Days apart enough that the example's visit streak (3 in 14 days) stays out of the measured purchases.
    await deliver(optIn("m-wu", "2026-03-09T08:00:00Z"));
    await deliver(purchase("m-wu", "W-1", "2026-03-10T09:00:00Z", coffee));
    expect((await state("m-wu"))?.challenges?.active).toHaveLength(2);

    counter.reset();
    await deliver(purchase("m-wu", "W-2", "2026-03-11T09:00:00Z", coffee));
    const progressing = counter.counters().TransactWriteItems;
    const progressingSizes = lastTransactSizes;
    // STATE, the business-key record and the earn entry, each under 1 KB, × 2 for a transaction: what a
    // purchase costs without challenges (test/integration/dynamo/commit-cost.test.ts).
    expect(progressing).toMatchObject({ requests: 1, items: 3, writeUnits: 6 });
    expect(progressingSizes[0]).toBeLessThanOrEqual(1024);

    counter.reset();
    await deliver(purchase("m-wu", "W-3", "2026-03-28T09:00:00Z", bread));
    const completing = counter.counters().TransactWriteItems;
    const completingSizes = lastTransactSizes;
    // Both challenges complete on this purchase: one completion entry and one completion record each (once per
    // member, for ever), and the earn entry carries the purchase's outbound events (now also Points Earned and
    // Challenge Completed per completion), which takes it past 1 KB: 2 × (1 + 1 + 2 + 1 + 1 + 1 + 1).
    expect((await ledger("m-wu")).filter((e) => e.details?.type === "challenge")).toHaveLength(2);
    expect(completing).toMatchObject({ requests: 1, items: 7, writeUnits: 16 });
    expect(completingSizes.filter((size) => size > 1024)).toHaveLength(1);
    console.info(
      `challenges write units: purchase by a member with 2 active challenges ${progressing?.writeUnits} WU ` +
        `(${progressing?.items} items, STATE ${progressingSizes[0]} B); purchase completing both ` +
        `${completing?.writeUnits} WU (${completing?.items} items: ${completingSizes.join(", ")} B)`,
    );
  });
});
