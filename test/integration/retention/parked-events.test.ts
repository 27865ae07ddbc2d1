import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { OutboxEvent } from "../../../functions/adapters/bus/event-publisher";
import { type StreamPoller, startStreamPoller } from "../../../functions/adapters/bus/stream-poller";
import { createOutboxPublisherHandler } from "../../../functions/handlers/outbox-publisher";
import { createLogger } from "../../../functions/shared/logger";
import { createMetrics } from "../../../functions/shared/metrics";
import { lambdaContext } from "../pipeline/harness";
import { type Bench, startBench, testProgram } from "./harness";

// The retention job publishes its events (Member Lapsing, Offer Sent, Member Won Back) straight to the bus.
// When the bus refuses them they are parked in the table, and the outbox publisher — the same handler and
// stream the pipeline's events go through — sends them under the ids they were first published with.

const AT_RISK_RUN = "2025-02-16T10:00:00.000Z";
let bench: Bench | undefined;
let poller: StreamPoller | undefined;

afterEach(async () => {
  await poller?.stop();
  await bench?.close();
  poller = undefined;
  bench = undefined;
});

describe("job events the bus refused", () => {
  it("reach the bus through the outbox, once each, under their first ids", async () => {
    bench = await startBench(
      testProgram((p) => {
        if (p.retention) p.retention.holdout = { percent: 0 };
      }),
      { stream: true },
    );
    for (const id of ["m-lapsing-1", "m-lapsing-2"]) {
      await bench.enrol(id, "2025-01-01T09:00:00.000Z");
      await bench.purchase(id, "2025-01-02T12:00:00.000Z", 4200);
    }
    bench.bus.down = true;
    const report = await bench.run(AT_RISK_RUN);
    expect(report).toMatchObject({ sent: 2, failed: 0 });
    expect(bench.events).toEqual([]);

    const published: OutboxEvent[] = [];
    const handler = createOutboxPublisherHandler({
      publisher: {
        publish: async (events) => {
          published.push(...events);
          return { published: events.length, failed: [] };
        },
      },
      logger: createLogger({ logLevel: "SILENT" }),
      metrics: createMetrics(),
    });
    poller = await startStreamPoller({
      dynamo: bench.client,
      streams: new DynamoDBStreamsClient({
        endpoint: inject("dynamoEndpoint"),
        region: "us-east-1",
        credentials: { accessKeyId: "patronlocal", secretAccessKey: "patronlocal" },
      }),
      tableName: bench.tableName,
      startAt: "TRIM_HORIZON",
      pollIntervalMs: 50,
      handler: (event) => handler(event, lambdaContext),
    });
    await poller.idle();

    // Each member went at risk and was sent an offer: a Member Lapsing and an Offer Sent each.
    const byType = (type: string) => published.filter((e) => e.type === type).map((e) => e.id);
    expect(byType("Member Lapsing")).toHaveLength(2);
    expect(byType("Offer Sent")).toHaveLength(2);
    expect(new Set(published.map((e) => e.id)).size).toBe(published.length);
    const sortById = (events: OutboxEvent[]) => [...events].sort((a, b) => a.id.localeCompare(b.id));
    expect(sortById(published)).toEqual(sortById(bench.bus.refused));

    // With the bus back, the same run publishes nothing new and parks nothing more.
    bench.bus.down = false;
    await bench.run(AT_RISK_RUN);
    await poller.idle();
    expect(published).toHaveLength(4);
  });
});
