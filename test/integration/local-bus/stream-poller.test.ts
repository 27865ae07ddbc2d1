import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type StreamPoller, startStreamPoller } from "../../../functions/adapters/bus/stream-poller";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";

// The local stand-in for Lambda's stream polling: every record is handled once and in order, and under a
// steady trickle of writes the poller waits between short pages instead of fetching a record or two per call.

const INTERVAL_MS = 200;
const WRITES = 50;
const WRITE_GAP_MS = 20;

describe("stream poller", () => {
  let table: TestTable;
  let poller: StreamPoller;
  const client = dynamoClient(inject("dynamoEndpoint"));
  const handled: string[] = [];
  let getRecords = 0;

  beforeAll(async () => {
    const endpoint = inject("dynamoEndpoint");
    table = await createTestTable(endpoint, { stream: true });
    const streams = new DynamoDBStreamsClient({
      endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "patronlocal", secretAccessKey: "patronlocal" },
    });
    streams.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "GetRecordsCommand") getRecords += 1;
        return next(args);
      },
      { step: "initialize", name: "countGetRecords" },
    );
    poller = await startStreamPoller({
      dynamo: client,
      streams,
      tableName: table.tableName,
      startAt: "TRIM_HORIZON",
      pollIntervalMs: INTERVAL_MS,
      handler: async (event) => {
        for (const record of event.Records) handled.push(record.dynamodb?.Keys?.PK?.S ?? "?");
        return undefined;
      },
    });
  });
  afterAll(async () => {
    await poller?.stop();
    await table?.drop();
    client.destroy();
  });

  it("handles a steady trickle of writes once each, in order, in batches rather than a call per record", async () => {
    await poller.idle();
    const before = getRecords;
    const started = performance.now();
    for (let i = 0; i < WRITES; i += 1) {
      await client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: { PK: { S: `TRICKLE#${String(i).padStart(3, "0")}` }, SK: { S: "ITEM" } },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, WRITE_GAP_MS));
    }
    await poller.idle();
    const elapsed = performance.now() - started;
    expect(handled).toEqual(
      Array.from({ length: WRITES }, (_, i) => `TRICKLE#${String(i).padStart(3, "0")}`),
    );
    // About one poll per interval (plus the idle proof's rounds); polling again after every short page made
    // it one per write or more.
    const calls = getRecords - before;
    expect(calls).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 4);
    expect(calls).toBeLessThan(WRITES / 2);
  });
});
