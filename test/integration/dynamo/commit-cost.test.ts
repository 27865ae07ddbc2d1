import { type AttributeValue, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { exampleProgram, type MemberState } from "../../../domain";
import { memoryRejectedEventSink } from "../../../functions/adapters/bus/rejected-events";
import { attachCapacityCounter } from "../../../functions/adapters/dynamo/capacity-counter";
import { itemSize } from "../../../functions/adapters/dynamo/item-size";
import { ledgerSortKey, memberPk, STATE_SK } from "../../../functions/adapters/dynamo/keys";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createAnalyticsStore } from "../../../functions/analytics/analytics-store";
import { createPurchaseCompletedHandler } from "../../../functions/handlers/purchase-completed";
import { staticProgramSource } from "../../../functions/pipeline/ports";
import { createLogger } from "../../../functions/shared/logger";
import { createMetrics } from "../../../functions/shared/metrics";
import { purchase } from "../pipeline/events";
import { lambdaContext } from "../pipeline/harness";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";
import { paddedState } from "../support/items";
import { earnEntry } from "../support/members";

// Capacity of the commit shapes on the hot path, from the item sizes actually written.

const DAY_MS = 86_400_000;

const endpoint = inject("dynamoEndpoint");
const client = dynamoClient(endpoint);
const counter = attachCapacityCounter(client);
let table: TestTable;
let repository: ReturnType<typeof createMemberRepository>;

beforeAll(async () => {
  table = await createTestTable(endpoint);
  repository = createMemberRepository({ client, tableName: table.tableName });
});
afterAll(async () => {
  await table.drop();
  client.destroy();
});

const T0 = "2025-05-01T09:30:00.000Z";
const outbound = [{ type: "PointsEarned", detail: { memberId: "m", points: 120, balance: 480 } }];

async function storedSize(memberId: string, sk: string): Promise<number> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: table.tableName, Key: { PK: { S: memberPk(memberId) }, SK: { S: sk } } }),
  );
  return itemSize(Item ?? {});
}

/** Applies one event to an existing member and returns what the read and the commit consumed. */
async function measureEvent(memberId: string, state: Record<string, unknown>, entryCount: number) {
  await repository.commit({
    memberId,
    previous: undefined,
    nextState: state,
    entries: [earnEntry(memberId, `${memberId}:setup`, 1, T0)],
    sourceKey: `${memberId}:setup`,
    payload: "same",
  });
  counter.reset();
  const previous = await repository.getMember(memberId);
  const entries = Array.from({ length: entryCount }, (_, n) => earnEntry(memberId, `pos#${n}`, 120, T0));
  const result = await repository.commit({
    memberId,
    previous,
    nextState: state,
    entries,
    sourceKey: `${memberId}:pos#0`,
    payload: "same",
    outbound,
  });
  expect(result.outcome).toBe("committed");
  return { counters: counter.counters(), firstEntry: entries[0] };
}

/** Sizes of the items in the last TransactWriteItems sent through the client, by DynamoDB's size rules. */
let lastTransactSizes: number[] = [];
client.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === "TransactWriteItemsCommand") {
      const actions = (args.input as { TransactItems: { Put?: { Item: Record<string, AttributeValue> } }[] })
        .TransactItems;
      lastTransactSizes = actions.map((action) => (action.Put ? itemSize(action.Put.Item) : 0));
    }
    return next(args);
  },
  { step: "initialize", name: "commitCostItemSizes" },
);

describe("commit cost", () => {
  it("a purchase by a 3-year monthly member with scores (no tier change, no reward) costs 1 RU + 6 WU", async () => {
    let now = new Date("2025-01-02T10:00:00.000Z");
    const onPurchase = createPurchaseCompletedHandler({
      members: repository,
      programs: staticProgramSource([exampleProgram]),
      clock: () => now,
      logger: createLogger({ logLevel: "SILENT" }),
      metrics: createMetrics(),
      rejected: memoryRejectedEventSink(),
      refundLookbackDays: 400,
    });
    const buy = async (n: number) => {
      const at = now.toISOString();
      const lines = [
        {
          sku: `SKU-${n % 11}`,
          category: n % 2 ? "apparel" : "grocery",
          quantity: 1 + (n % 2),
          unitPrice: 1490 + 37 * n,
        },
      ];
      const result = await onPurchase(purchase("m-real", `R-${n}`, at, lines), lambdaContext);
      expect(result.status).toBe("committed");
    };
    for (let n = 0; n < 36; n += 1) {
      await buy(n);
      now = new Date(now.getTime() + 30 * DAY_MS + 3_600_000);
    }
    // The nightly job's scores live in the state too.
    const scored = await repository.getMember<MemberState & Record<string, unknown>>("m-real");
    const scores = { segment: "loyal", recency: 4, frequency: 3, monetary: 4, probabilityAlive: 0.8712 };
    expect(
      await createAnalyticsStore({ client, tableName: table.tableName }).updateScores(
        "m-real",
        scored?.version ?? 0,
        {
          ...scores,
          expectedOrderValueMinor: 4410,
          clvMinor: 56233,
          scoredOn: "2027-12-01",
          modelVersion: "bgnbd-gg.v1.h52w.d0.1.m1@2027-12-01",
        },
      ),
    ).toBe("updated");

    // This month's purchase also settles the lot earned 24 months ago (an expiry entry: 3 items); the
    // measured one, two days later, has nothing to settle.
    await buy(36);
    now = new Date(now.getTime() + 2 * DAY_MS);
    const before = await repository.getMember<MemberState & Record<string, unknown>>("m-real");
    counter.reset();
    await buy(37);
    const counters = counter.counters();
    const after = await repository.getMember<MemberState & Record<string, unknown>>("m-real");
    expect(before?.recentKeys).toHaveLength(16);
    expect(after?.state.tier.tierId).toBe(before?.state.tier.tierId);
    expect(after?.state.rewards).toEqual(before?.state.rewards);
    expect(after?.state.scores?.segment).toBe("loyal");
    expect(counters.GetItem).toMatchObject({ requests: 1, readUnits: 1 });
    // STATE, the business-key record and the ledger entry, each under 1 KB: 3 × 2 WU.
    expect(counters.TransactWriteItems).toMatchObject({ requests: 1, writeUnits: 6, items: 3 });
    const [stateBytes = 0, keyBytes = 0, entryBytes = 0] = lastTransactSizes;
    // Measured: STATE 822 B (≈ 560 B of it the encoded state; a full ring is 157 B), ledger entry with its
    // outbound events 801 B. As a nested map such a state alone is ≈ 3 KB (see state-codec.test.ts).
    expect(stateBytes).toBeGreaterThan(500);
    expect(stateBytes).toBeLessThanOrEqual(1024);
    expect(entryBytes).toBeLessThanOrEqual(1024);
    expect(keyBytes).toBeGreaterThan(0);
    expect(keyBytes).toBeLessThanOrEqual(300);
    expect(await storedSize("m-real", STATE_SK)).toBe(stateBytes);
  });

  it("a purchase (one ledger entry, state under 1 KB) costs 1 RU + 6 WU", async () => {
    const { counters, firstEntry } = await measureEvent("m-one", paddedState(300), 1);
    expect(await storedSize("m-one", STATE_SK)).toBeLessThanOrEqual(1024);
    expect(firstEntry && (await storedSize("m-one", ledgerSortKey(firstEntry)))).toBeLessThanOrEqual(1024);
    expect(counters.GetItem).toMatchObject({ requests: 1, readUnits: 1 });
    expect(counters.TransactWriteItems).toMatchObject({ requests: 1, writeUnits: 6, items: 3 });
  });

  it("two ledger entries cost 1 RU + 8 WU", async () => {
    const { counters } = await measureEvent("m-two", paddedState(300), 2);
    expect(counters.GetItem).toMatchObject({ requests: 1, readUnits: 1 });
    expect(counters.TransactWriteItems).toMatchObject({ requests: 1, writeUnits: 8, items: 4 });
  });

  it("a 2 KB state item doubles the state write: 1 RU + 8 WU", async () => {
    const { counters } = await measureEvent("m-big", paddedState(1800), 1);
    const size = await storedSize("m-big", STATE_SK);
    expect(size).toBeGreaterThan(1024);
    expect(size).toBeLessThanOrEqual(2048);
    expect(counters.GetItem).toMatchObject({ requests: 1, readUnits: 1 });
    expect(counters.TransactWriteItems).toMatchObject({ requests: 1, writeUnits: 8, items: 3 });
  });

  it("a redelivery caught by the recent-keys ring costs 1 RU and no write", async () => {
    counter.reset();
    const previous = await repository.getMember("m-one");
    const again = await repository.commit({
      memberId: "m-one",
      previous,
      nextState: previous?.state ?? {},
      entries: [earnEntry("m-one", "m-one:pos#0", 120, "2025-05-01T09:31:00.000Z")],
      sourceKey: "m-one:pos#0",
      payload: "same",
    });
    expect(again).toEqual({ outcome: "duplicate" });
    expect(counter.total()).toMatchObject({ readUnits: 1, writeUnits: 0 });
  });
});
