import { QueryCommand, ScanCommand, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { batchedStorage } from "../../../scripts/bench/replay-batched-storage";
import type { ReplayEvent } from "../../../scripts/replay/replay-events";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";

// The replay bench's batched ceiling stands for a design that keeps exactly-once: these checks hold its requests
// to that (one STATE a member, every event's own items, a batch sent twice writes nothing the second time).

const endpoint = inject("dynamoEndpoint");
const client = dynamoClient(endpoint);
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable(endpoint);
});
afterAll(async () => {
  await table.drop();
  client.destroy();
});

const event = (type: "Member Enrolled" | "Purchase Completed", memberId: string): ReplayEvent => ({
  at: new Date("2025-05-01T09:30:00Z"),
  entry: { DetailType: type, Detail: JSON.stringify({ memberId }) },
});

const itemBytes = {
  "PutItem PROFILE": 500,
  "TransactWriteItems STATE": 380,
  "TransactWriteItems KEY": 200,
  "TransactWriteItems LEDGER": 800,
};

async function keysUnder(prefix: string): Promise<string[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: table.tableName }));
  return Items.map((item) => `${item.PK?.S} ${item.SK?.S}`)
    .filter((key) => key.startsWith(prefix))
    .sort();
}

describe("the replay bench's batched storage", () => {
  it("writes a member's STATE once and each event's own items, in one transaction", async () => {
    const storage = batchedStorage({ client, tableName: table.tableName, itemBytes, keyPrefix: "T1#" });
    await storage.commit(
      [
        event("Member Enrolled", "ann"),
        event("Purchase Completed", "ann"),
        event("Purchase Completed", "bob"),
      ],
      100,
    );
    expect(await keysUnder("T1#")).toEqual([
      "T1#KEY#101 KEY",
      "T1#KEY#102 KEY",
      "T1#MEMBER#ann LEDGER#101",
      "T1#MEMBER#ann PROFILE",
      "T1#MEMBER#ann STATE",
      "T1#MEMBER#bob LEDGER#102",
      "T1#MEMBER#bob STATE",
    ]);
    const ledger = await client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": { S: "T1#MEMBER#ann" } },
      }),
    );
    expect(ledger.Items?.find((item) => item.SK?.S === "LEDGER#101")?.pad?.S?.length).toBeGreaterThan(700);
    expect(storage.retries()).toBe(0);
  });

  it("refuses a batch sent again, as a whole, without retrying it as a lost race", async () => {
    const storage = batchedStorage({ client, tableName: table.tableName, itemBytes, keyPrefix: "T2#" });
    const batch = [event("Purchase Completed", "cy"), event("Purchase Completed", "di")];
    await storage.commit(batch, 0);
    const before = await keysUnder("T2#");
    await expect(storage.commit(batch, 0)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(await keysUnder("T2#")).toEqual(before);
    expect(storage.retries()).toBe(0);
  });

  it("names an event type it has no pattern for", async () => {
    const storage = batchedStorage({ client, tableName: table.tableName, itemBytes, keyPrefix: "T3#" });
    const refund = {
      ...event("Purchase Completed", "ed"),
      entry: { DetailType: "Purchase Refunded", Detail: "{}" },
    };
    await expect(storage.commit([refund], 0)).rejects.toThrow(/no storage pattern for "Purchase Refunded"/);
  });
});
