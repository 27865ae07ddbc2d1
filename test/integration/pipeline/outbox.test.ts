import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { PutEventsCommand, PutEventsResultEntry } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findByDetailType } from "../../../events/catalog";
import { createEventPublisher } from "../../../functions/adapters/bus/event-publisher";
import { type StreamPoller, startStreamPoller } from "../../../functions/adapters/bus/stream-poller";
import { createOutboxPublisherHandler } from "../../../functions/handlers/outbox-publisher";
import { createLogger } from "../../../functions/shared/logger";
import { createMetrics } from "../../../functions/shared/metrics";
import { interaction, purchase, refund } from "./events";
import { createHarness, type Harness, lambdaContext } from "./harness";

// Committed changes publish their outbound events through the table stream, once each; duplicates
// and rejected events publish nothing; entries PutEvents reports as failed are retried alone.

const NOW = "2025-03-28T12:00:00Z";

/** An EventBridge stand-in that fails every 4th entry on its first attempt. */
function flakyBus() {
  const published: { type: string; detail: Record<string, unknown> }[] = [];
  let seen = 0;
  const failedOnce = new Set<string>();
  return {
    published,
    async send(command: PutEventsCommand) {
      const entries: PutEventsResultEntry[] = (command.input.Entries ?? []).map((entry) => {
        seen += 1;
        const key = entry.Detail ?? "";
        if (seen % 4 === 0 && !failedOnce.has(key)) {
          failedOnce.add(key);
          return { ErrorCode: "InternalFailure", ErrorMessage: "try again" };
        }
        published.push({ type: entry.DetailType ?? "", detail: JSON.parse(key) });
        return { EventId: `id-${seen}` };
      });
      return { Entries: entries, FailedEntryCount: entries.filter((e) => e.ErrorCode).length, $metadata: {} };
    },
  };
}

describe("outbox publishing", () => {
  let harness: Harness;
  let poller: StreamPoller;
  const bus = flakyBus();

  beforeAll(async () => {
    const endpoint = inject("dynamoEndpoint");
    harness = await createHarness(endpoint, { now: NOW, stream: true });
    const handler = createOutboxPublisherHandler({
      publisher: createEventPublisher({ client: bus as never, eventBusName: "patron-test", baseDelayMs: 1 }),
      logger: createLogger({ logLevel: "SILENT" }),
      metrics: createMetrics(),
    });
    poller = await startStreamPoller({
      dynamo: harness.client,
      streams: new DynamoDBStreamsClient({
        endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "patronlocal", secretAccessKey: "patronlocal" },
      }),
      tableName: harness.table.tableName,
      startAt: "TRIM_HORIZON",
      pollIntervalMs: 50,
      handler: (event) => handler(event, lambdaContext),
    });
  });
  afterAll(async () => {
    await poller?.stop();
    await harness?.close();
  });

  it("publishes each committed change's events once, and nothing for duplicates or rejections", async () => {
    const shoes = { sku: "SNEAKER-9", category: "shoes", quantity: 4, unitPrice: 8900 };
    const events = [
      purchase("pub", "O-1", "2025-03-10T10:00:00Z", [shoes]),
      interaction("pub", "I-1", "referral-converted", "2025-03-11T10:00:00Z"),
      refund("pub", "R-1", "O-1", "2025-03-12T10:00:00Z", { amount: 8900 }),
    ];
    for (const event of events) expect((await harness.deliver(event)).status).toBe("committed");
    for (const event of events)
      expect((await harness.deliver({ ...event, id: `${event.id}-again` })).status).toBe("duplicate");
    const bad = { ...events[0], detail: { ...events[0]?.detail, total: 1 } };
    expect((await harness.deliver(bad)).status).toBe("rejected");
    await poller.idle();

    const types = bus.published.map((e) => e.type).sort();
    // Purchase: points for the order and the welcome bonus, and the jump to gold; referral points;
    // the refund's reversal.
    expect(types).toEqual([
      "Points Earned",
      "Points Earned",
      "Points Earned",
      "Points Reversed",
      "Tier Changed",
    ]);
    const keys = bus.published.map((e) => `${e.type}|${e.detail.ledgerEntryId ?? e.detail.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const event of bus.published) {
      expect(findByDetailType(event.type)?.schema.safeParse(event.detail).success, event.type).toBe(true);
      expect(event.detail.memberId).toBe("pub");
    }
    const reversed = bus.published.find((e) => e.type === "Points Reversed");
    expect(reversed?.detail.reversedEntryId).toBe("earn:purchase:retail.pos.store-042:O-1");
  });
});
