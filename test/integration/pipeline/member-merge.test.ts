import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LedgerEntry, type MemberState, pendingBalance, spendableBalance } from "../../../domain";
import { memberPk, STATE_SK } from "../../../functions/adapters/dynamo/keys";
import { runMemberMerge } from "../../../functions/shared/member-merge";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { dedicatedDynamoLocal } from "../support/dynamo";
import { type Envelope, enrolment, envelope, purchase, refund } from "./events";
import { createHarness, type Harness, orderIndependentProgram } from "./harness";
import { ledgerSum, memberView } from "./member-view";
import { issue, offerOutcomes, purchaseWithCodes } from "./offers";

// Merging two members while events for both keep arriving: every point ends up on the survivor (the two
// ledgers together explain its balance), every order earns once wherever it landed, a refund of the duplicate's
// order after the merge finds it, and every unsubscribe — before, during or after the merge — stays.

const NOW = "2025-06-30T12:00:00Z";
const program = orderIndependentProgram;
const request = { actor: "marketer-1", reason: "Same customer, two cards" };
const line = (unitPrice: number) => ({ sku: "TEE-01", category: "apparel", quantity: 1, unitPrice });

let dynamo: DynamoLocal;
let harness: Harness;
beforeAll(async () => {
  dynamo = await dedicatedDynamoLocal();
  harness = await createHarness(dynamo.endpoint, {
    program,
    now: NOW,
    retry: { maxAttempts: 60, baseDelayMs: 5, maxDelayMs: 200 },
  });
});
afterAll(async () => {
  await harness?.close();
  await dynamo?.stop();
});

const merge = (survivorId: string, absorbedId: string) =>
  runMemberMerge(
    {
      members: harness.repository,
      client: harness.client,
      tableName: harness.table.tableName,
      clock: () => new Date(NOW),
      retry: { maxAttempts: 60, baseDelayMs: 5, maxDelayMs: 200 },
    },
    { survivorId, absorbedId, request, program },
  );

const unsubscribe = (memberId: string, occurredAt: string) =>
  envelope(
    "Member Updated",
    { schemaVersion: "1", memberId, occurredAt, consent: { email: false, sms: false, push: false } },
    { source: "retail.web.shop" },
  );

async function deliver(events: readonly Envelope[]) {
  for (const event of events) expect((await harness.deliver(event)).status).not.toBe("rejected");
}

async function deliverConcurrently(events: readonly Envelope[]) {
  const results = await Promise.all(events.map((event) => harness.deliver(event)));
  for (const result of results) expect(result.status).not.toBe("rejected");
}

const entriesOf = async (memberId: string) => (await memberView(harness, memberId))?.entries ?? [];
const state = async (memberId: string) =>
  (await harness.repository.getMember<MemberState & Record<string, unknown>>(memberId))?.state;

const workloadArb = fc.record({
  before: fc.array(
    fc.record({ who: fc.constantFrom("keep", "dup"), price: fc.integer({ min: 100, max: 9_000 }) }),
    {
      maxLength: 5,
    },
  ),
  during: fc.array(
    fc.record({ who: fc.constantFrom("keep", "dup"), price: fc.integer({ min: 100, max: 9_000 }) }),
    {
      maxLength: 4,
    },
  ),
  after: fc.array(fc.integer({ min: 100, max: 9_000 }), { maxLength: 3 }),
  unsubscribe: fc.constantFrom("none", "keep-before", "dup-before", "dup-during", "dup-after"),
});

let run = 0;

describe("merging members while events arrive", () => {
  it("keeps every point and every unsubscribe", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(workloadArb, async (w) => {
        run += 1;
        const ids = { keep: `keep-${run}`, dup: `dup-${run}` };
        await deliver([
          enrolment(ids.keep, "2025-05-01T09:00:00Z"),
          enrolment(ids.dup, "2025-05-01T09:00:00Z"),
        ]);
        const orders: string[] = [];
        const buy = (who: "keep" | "dup", price: number, day: number) => {
          const orderId = `O-${run}-${orders.length}`;
          orders.push(orderId);
          return purchase(ids[who], orderId, `2025-06-${String(day).padStart(2, "0")}T10:00:00Z`, [
            line(price),
          ]);
        };
        const before = w.before.map((p, i) => buy(p.who, p.price, 2 + i));
        if (w.unsubscribe === "keep-before") before.push(unsubscribe(ids.keep, "2025-06-10T08:00:00Z"));
        if (w.unsubscribe === "dup-before") before.push(unsubscribe(ids.dup, "2025-06-10T08:00:00Z"));
        await deliver(before);

        const during = w.during.map((p, i) => buy(p.who, p.price, 12 + i));
        if (w.unsubscribe === "dup-during") during.push(unsubscribe(ids.dup, "2025-06-20T08:00:00Z"));
        const [merged] = await Promise.all([merge(ids.keep, ids.dup), deliverConcurrently(during)]);
        expect(merged.outcome).toBe("merged");

        // After the merge the duplicate's id forwards: new purchases, a redelivery and a refund of its old order.
        const after = w.after.map((price, i) => buy("dup", price, 22 + i));
        if (w.unsubscribe === "dup-after") after.push(unsubscribe(ids.dup, "2025-06-25T08:00:00Z"));
        const redelivered = before.find(
          (e) => e.detail.memberId === ids.dup && e["detail-type"] === "Purchase Completed",
        );
        if (redelivered) {
          after.push(redelivered);
          after.push(
            refund(ids.dup, `R-${run}`, String(redelivered.detail.orderId), "2025-06-28T10:00:00Z", {
              amount: 50,
            }),
          );
        }
        await deliver(after);
        // An old consent grant from before the unsubscribe, arriving late, changes nothing.
        await deliver([
          envelope(
            "Member Updated",
            {
              schemaVersion: "1",
              memberId: ids.dup,
              occurredAt: "2025-06-01T08:00:00Z",
              consent: { email: true, sms: false, push: false },
            },
            { source: "retail.web.shop" },
          ),
        ]);

        const [keepEntries, dupEntries] = await Promise.all([entriesOf(ids.keep), entriesOf(ids.dup)]);
        const [survivor, absorbed] = await Promise.all([state(ids.keep), state(ids.dup)]);
        if (!survivor || !absorbed) throw new Error("both members are stored");
        expect(absorbed).toMatchObject({ status: "merged", mergedInto: ids.keep });
        expect(spendableBalance(absorbed) + pendingBalance(absorbed)).toBe(0);
        // Both ledgers together explain the survivor's balance; the duplicate's alone nets to nothing.
        expect(ledgerSum(dupEntries)).toBe(0);
        expect(ledgerSum(keepEntries)).toBe(spendableBalance(survivor) + pendingBalance(survivor));
        const all: LedgerEntry[] = [...keepEntries, ...dupEntries];
        for (const orderId of orders)
          expect(all.filter((e) => e.kind === "earn" && e.sourceKey.endsWith(`:${orderId}`))).toHaveLength(1);
        if (redelivered) expect(all.filter((e) => e.kind === "reverse")).toHaveLength(1);
        expect(all.filter((e) => e.kind === "merge")).toHaveLength(2);
        const profile = await harness.repository.getProfile<{ consent?: { email?: boolean } }>(ids.keep);
        expect(profile?.consent?.email).toBe(w.unsubscribe === "none");
        // The duplicate's id reads as the survivor's profile.
        expect(await harness.repository.getProfile(ids.dup)).toEqual(profile);
        expect(harness.rejected.items).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it("merges a member once, for ever: the same request answers the first result, another survivor is refused", async () => {
    await deliver([
      enrolment("once-a", "2025-05-01T09:00:00Z"),
      enrolment("once-b", "2025-05-01T09:00:00Z"),
      enrolment("once-c", "2025-05-01T09:00:00Z"),
      purchase("once-b", "O-once", "2025-06-01T10:00:00Z", [line(4_000)]),
    ]);
    const first = await merge("once-a", "once-b");
    const again = await merge("once-a", "once-b");
    expect(first.outcome).toBe("merged");
    expect(again).toEqual({
      outcome: "replayed",
      answer: first.outcome === "merged" ? first.answer : undefined,
    });
    expect((await merge("once-c", "once-b")).outcome).toBe("already-merged");
    expect((await entriesOf("once-a")).filter((e) => e.kind === "merge")).toHaveLength(1);
  });

  it("the duplicate's offer codes move: a till naming the duplicate redeems one once, on the survivor", async () => {
    await deliver([enrolment("code-a", "2025-05-01T09:00:00Z"), enrolment("code-b", "2025-05-01T09:00:00Z")]);
    await issue(harness, { memberId: "code-b", code: "MRGD234567", sentAt: "2025-06-01T09:00:00Z" });
    await merge("code-a", "code-b");
    await deliver([
      purchaseWithCodes("code-b", "O-code-1", "2025-06-20T10:00:00Z", ["MRGD234567"]),
      purchaseWithCodes("code-b", "O-code-2", "2025-06-21T10:00:00Z", ["MRGD234567"]),
    ]);
    const outcomes = offerOutcomes(await entriesOf("code-a"));
    expect(outcomes.get("O-code-1")?.redeemed.map((r) => r.code)).toEqual(["MRGD234567"]);
    expect(outcomes.get("O-code-2")?.rejected.map((r) => r.reason)).toEqual(["already-redeemed"]);
    expect(await harness.repository.listOffers("code-b")).toEqual([]);
  });

  it("a merged member stops being due for retention messages", async () => {
    await deliver([enrolment("due-a", "2025-05-01T09:00:00Z"), enrolment("due-b", "2025-05-01T09:00:00Z")]);
    const dueKeys = async (memberId: string) => {
      const { Item } = await harness.client.send(
        new GetItemCommand({
          TableName: harness.table.tableName,
          Key: { PK: { S: memberPk(memberId) }, SK: { S: STATE_SK } },
        }),
      );
      return Item?.GSI1PK?.S;
    };
    expect(await dueKeys("due-b")).toMatch(/^DUE#/);
    await merge("due-a", "due-b");
    expect(await dueKeys("due-b")).toBeUndefined();
    expect(await dueKeys("due-a")).toMatch(/^DUE#/);
  });
});
