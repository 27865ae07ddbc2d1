import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { exampleProgram } from "../../../domain/program/example-program";
import { tableRejectedEventSink } from "../../../functions/adapters/bus/rejected-events";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { staticProgramSource } from "../../../functions/pipeline/ports";
import { createLogger } from "../../../functions/shared/logger";
import { createMetrics } from "../../../functions/shared/metrics";
import { localBusRules } from "../../../scripts/local/consumers";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";
import { closeBuses, putEvents, startBus } from "./bus-fixtures";

// Item 9 of issue 11: a producer event that no consumer handles must not vanish. Through the local bus,
// routed by the rules in events/rules.ts to the same handlers the Lambdas run, it is parked as
// `unrouted` in the table (DynamoDB Local) and counted.

process.env.POWERTOOLS_METRICS_DISABLED = "true";

const NOW = "2025-03-28T12:00:00Z";

let table: TestTable;
const client = dynamoClient(inject("dynamoEndpoint"), 3);

beforeAll(async () => {
  table = await createTestTable(inject("dynamoEndpoint"));
});
afterEach(closeBuses);
afterAll(async () => {
  await table?.drop();
  client.destroy();
});

async function parked() {
  const result = await client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": { S: `REJECTED#${NOW.slice(0, 10)}` } },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

describe("events no consumer handles", () => {
  it("a misspelt and an unknown retail.* detail-type are parked as unrouted and counted", async () => {
    const metrics = createMetrics();
    const addMetric = vi.spyOn(metrics, "addMetric");
    const { tableName } = table;
    const deps = {
      members: createMemberRepository({ client, tableName }),
      programs: staticProgramSource([exampleProgram]),
      clock: () => new Date(NOW),
      metrics,
      rejected: tableRejectedEventSink({ client, tableName }),
      refundLookbackDays: 400,
    };
    const bus = await startBus({ rules: localBusRules(deps, () => createLogger({ logLevel: "SILENT" })) });
    const detail = JSON.stringify({ schemaVersion: "1", memberId: "m-1", orderId: "O-1" });

    const result = await putEvents(bus, [
      { Source: "retail.pos.store-042", DetailType: "Purchase Complete", Detail: detail },
      { Source: "retail.web.giftcards", DetailType: "Gift Card Activated", Detail: detail },
      { Source: "shop.pos.elsewhere", DetailType: "Gift Card Activated", Detail: detail },
    ]);
    await bus.drain();

    const ids = result.Entries?.map((entry) => entry.EventId);
    const items = await parked();
    expect(items.map((item) => [item.reason?.S, item.detailType?.S, item.source?.S]).sort()).toEqual([
      ["unrouted", "Gift Card Activated", "retail.web.giftcards"],
      ["unrouted", "Purchase Complete", "retail.pos.store-042"],
    ]);
    for (const item of items) {
      expect(ids?.some((id) => id !== undefined && item.SK?.S?.endsWith(id))).toBe(true);
      expect(JSON.parse(item.errors?.S ?? "[]")).toEqual([
        { path: "detail-type", message: expect.stringContaining("no consumer") },
      ]);
    }
    const unrouted = addMetric.mock.calls.filter(([name]) => name === "EventsUnrouted");
    expect(unrouted.map(([, , value]) => value)).toEqual([1, 1]);
    expect(bus.deadLetters()).toEqual([]);
    // Outside the producer convention, nothing is routed (as in AWS, where IAM refuses such sources).
    expect(bus.stats().eventsUnmatched).toBe(1);
  });
});
