import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { defaultProducers } from "../../../infra/config";
import type { LocalEventBus } from "../../../scripts/local/event-bus/local-event-bus";
import { closeBuses, purchaseEntry, REGION, recorder, startBus } from "./bus-fixtures";

// The local bus enforces the stack's producer list the way the producer roles' IAM conditions do: the
// SigV4 access key id names the producer; any other key is one of the account's own operators.

const as = (bus: LocalEventBus, accessKeyId: string) =>
  new EventBridgeClient({
    endpoint: bus.url,
    region: REGION,
    credentials: { accessKeyId, secretAccessKey: accessKeyId },
    maxAttempts: 1,
  });

afterEach(closeBuses);

describe("local bus producer access", () => {
  it("rejects an entry whose source the producer does not own, and lets its own through", async () => {
    const seen = recorder();
    const bus = await startBus({
      rules: [{ id: "all", eventPattern: { source: [{ prefix: "retail." }] }, target: seen.target }],
      producers: defaultProducers,
    });
    const result = await as(bus, "pos").send(
      new PutEventsCommand({
        Entries: [purchaseEntry(), { ...purchaseEntry(), Source: "retail.web.shop" }],
      }),
    );
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.EventId).toBeDefined();
    expect(result.Entries?.[1]).toMatchObject({ ErrorCode: "NotAuthorizedForSourceException" });
    await bus.drain();
    expect(seen.events.map((event) => event.source)).toEqual(["retail.pos.store-042"]);
  });

  it("rejects a detail-type the producer was not granted (profile changes from a till)", async () => {
    const bus = await startBus({ rules: [], producers: defaultProducers });
    const result = await as(bus, "pos").send(
      new PutEventsCommand({ Entries: [{ ...purchaseEntry(), DetailType: "Member Updated" }] }),
    );
    expect(result.Entries?.[0]).toMatchObject({ ErrorCode: "NotAuthorizedForDetailTypeException" });
  });

  it("leaves keys that name no producer (the account's own operators) unrestricted", async () => {
    const bus = await startBus({ rules: [], producers: defaultProducers });
    const result = await as(bus, "local").send(
      new PutEventsCommand({ Entries: [{ ...purchaseEntry(), Source: "retail.web.shop" }] }),
    );
    expect(result.FailedEntryCount).toBe(0);
  });
});
