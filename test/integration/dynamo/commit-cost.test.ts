import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { attachCapacityCounter } from "../../../functions/adapters/dynamo/capacity-counter";
import { itemSize } from "../../../functions/adapters/dynamo/item-size";
import { ledgerSortKey, memberPk, STATE_SK } from "../../../functions/adapters/dynamo/keys";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";
import { paddedState } from "../support/items";
import { earnEntry } from "../support/members";

// Capacity of the commit shapes on the hot path, from the item sizes actually written.

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
    entries: [earnEntry(memberId, "setup", 1, T0)],
    sourceKey: "setup",
  });
  counter.reset();
  const previous = await repository.getMember(memberId);
  const entries = Array.from({ length: entryCount }, (_, n) => earnEntry(memberId, `pos#${n}`, 120, T0));
  const result = await repository.commit({
    memberId,
    previous,
    nextState: state,
    entries,
    sourceKey: "pos#0",
    outbound,
  });
  expect(result.outcome).toBe("committed");
  return { counters: counter.counters(), firstEntry: entries[0] };
}

describe("commit cost", () => {
  it("a purchase (one ledger entry, state under 1 KB) costs 1 RU + 4 WU", async () => {
    const { counters, firstEntry } = await measureEvent("m-one", paddedState(300), 1);
    expect(await storedSize("m-one", STATE_SK)).toBeLessThanOrEqual(1024);
    expect(firstEntry && (await storedSize("m-one", ledgerSortKey(firstEntry)))).toBeLessThanOrEqual(1024);
    expect(counters.GetItem).toMatchObject({ requests: 1, readUnits: 1 });
    expect(counters.TransactWriteItems).toMatchObject({ requests: 1, writeUnits: 4, items: 2 });
  });

  it("two ledger entries cost 1 RU + 6 WU", async () => {
    const { counters } = await measureEvent("m-two", paddedState(300), 2);
    expect(counters.GetItem).toMatchObject({ requests: 1, readUnits: 1 });
    expect(counters.TransactWriteItems).toMatchObject({ requests: 1, writeUnits: 6, items: 3 });
  });

  it("a 2 KB state item doubles the state write: 1 RU + 6 WU", async () => {
    const { counters } = await measureEvent("m-big", paddedState(1800), 1);
    const size = await storedSize("m-big", STATE_SK);
    expect(size).toBeGreaterThan(1024);
    expect(size).toBeLessThanOrEqual(2048);
    expect(counters.GetItem).toMatchObject({ requests: 1, readUnits: 1 });
    expect(counters.TransactWriteItems).toMatchObject({ requests: 1, writeUnits: 6, items: 2 });
  });

  it("a redelivery caught by the recent-keys ring costs 1 RU and no write", async () => {
    counter.reset();
    const previous = await repository.getMember("m-one");
    const again = await repository.commit({
      memberId: "m-one",
      previous,
      nextState: previous?.state ?? {},
      entries: [earnEntry("m-one", "pos#0", 120, "2025-05-01T09:31:00.000Z")],
      sourceKey: "pos#0",
    });
    expect(again).toEqual({ outcome: "duplicate" });
    expect(counter.total()).toMatchObject({ readUnits: 1, writeUnits: 0 });
  });
});
