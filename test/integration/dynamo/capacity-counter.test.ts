import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { attachCapacityCounter } from "../../../functions/adapters/dynamo/capacity-counter";
import { itemSize } from "../../../functions/adapters/dynamo/item-size";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";
import { itemOfSize } from "../support/items";

const endpoint = inject("dynamoEndpoint");
const client = dynamoClient(endpoint);
const counter = attachCapacityCounter(client);
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable(endpoint);
});
afterAll(async () => {
  await table.drop();
  client.destroy();
});
beforeEach(() => counter.reset());

const put = (item: ReturnType<typeof itemOfSize>) =>
  client.send(new PutItemCommand({ TableName: table.tableName, Item: item }));

describe("capacity counter", () => {
  it("charges a 1.5 KB put 2 write units and a 1 KB put 1", async () => {
    await put(itemOfSize("C#put", "a", 1536));
    await put(itemOfSize("C#put", "b", 1024));
    expect(counter.counters().PutItem).toEqual({
      requests: 2,
      failed: 0,
      readUnits: 0,
      writeUnits: 3,
      items: 2,
    });
  });

  it("charges a 4 KB GetItem 1 read unit strongly consistent and 0.5 eventually consistent", async () => {
    await put(itemOfSize("C#get", "a", 4096));
    counter.reset();
    const key = { PK: { S: "C#get" }, SK: { S: "a" } };
    const strong = await client.send(
      new GetItemCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
    );
    expect(itemSize(strong.Item ?? {})).toBe(4096);
    await client.send(new GetItemCommand({ TableName: table.tableName, Key: key }));
    expect(counter.counters().GetItem).toEqual({
      requests: 2,
      failed: 0,
      readUnits: 1.5,
      writeUnits: 0,
      items: 2,
    });
  });

  it("charges a GetItem of a missing item the minimum", async () => {
    await client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { PK: { S: "none" }, SK: { S: "x" } },
        ConsistentRead: true,
      }),
    );
    expect(counter.counters().GetItem).toMatchObject({ readUnits: 1, items: 0 });
  });

  it("charges a transaction of two items under 1 KB 4 write units", async () => {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table.tableName, Item: itemOfSize("C#tx", "a", 900) } },
          { Put: { TableName: table.tableName, Item: itemOfSize("C#tx", "b", 300) } },
        ],
      }),
    );
    expect(counter.counters().TransactWriteItems).toEqual({
      requests: 1,
      failed: 0,
      readUnits: 0,
      writeUnits: 4,
      items: 2,
    });
  });

  it("charges a ConditionCheck in a transaction like a write", async () => {
    await put(itemOfSize("C#cc", "a", 200));
    counter.reset();
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: table.tableName,
              Key: { PK: { S: "C#cc" }, SK: { S: "a" } },
              ConditionExpression: "attribute_exists(PK)",
            },
          },
          { Put: { TableName: table.tableName, Item: itemOfSize("C#cc", "b", 2000) } },
        ],
      }),
    );
    expect(counter.counters().TransactWriteItems?.writeUnits).toBe(2 * (1 + 2));
  });

  it("rounds a Query once over the summed item sizes, halved when eventually consistent", async () => {
    for (const sk of ["1", "2", "3"]) await put(itemOfSize("C#query", sk, 1536));
    counter.reset();
    const query = (ConsistentRead: boolean) =>
      client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: "PK = :pk",
          ExpressionAttributeValues: { ":pk": { S: "C#query" } },
          ConsistentRead,
        }),
      );
    await query(true);
    await query(false);
    // 3 × 1.5 KB = 4.5 KB → 2 units (not 3, as separate GetItems would cost).
    expect(counter.counters().Query).toEqual({
      requests: 2,
      failed: 0,
      readUnits: 3,
      writeUnits: 0,
      items: 6,
    });
  });

  it("counts a failed conditional write as a failed request that still consumed write units", async () => {
    await put(itemOfSize("C#cond", "a", 100));
    counter.reset();
    await expect(
      client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: itemOfSize("C#cond", "a", 100),
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      ),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(counter.counters().PutItem).toEqual({
      requests: 1,
      failed: 1,
      readUnits: 0,
      writeUnits: 1,
      items: 0,
    });
  });

  it("counts control-plane calls without capacity units and sums a total", async () => {
    await expect(
      client.send(new CreateTableCommand({ TableName: table.tableName } as never)),
    ).rejects.toThrow();
    await put(itemOfSize("C#total", "a", 100));
    expect(counter.counters().CreateTable).toEqual({
      requests: 1,
      failed: 1,
      readUnits: 0,
      writeUnits: 0,
      items: 0,
    });
    expect(counter.total()).toEqual({ requests: 2, failed: 1, readUnits: 0, writeUnits: 1, items: 1 });
  });
});
