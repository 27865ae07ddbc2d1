import { EventBridgeServiceException, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_REQUEST_ENTRY_BYTES } from "../../../scripts/local/event-bus/put-events-request";
import { closeBuses, purchaseEntry, putEvents, recorder, startBus } from "./bus-fixtures";

afterEach(closeBuses);

const matchAll = { source: [{ prefix: "retail." }] };

async function sdkError(promise: Promise<unknown>): Promise<EventBridgeServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EventBridgeServiceException);
  return error as EventBridgeServiceException;
}

describe("PutEvents over the AWS JSON 1.1 protocol (real SDK client)", () => {
  it("rejects 11 entries as a whole with ValidationException and delivers none", async () => {
    const sink = recorder();
    const bus = await startBus({ rules: [{ id: "all", eventPattern: matchAll, target: sink.target }] });

    const error = await sdkError(
      putEvents(
        bus,
        Array.from({ length: 11 }, () => purchaseEntry()),
      ),
    );

    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain("Member must have length less than or equal to 10");
    await bus.drain();
    expect(sink.events).toHaveLength(0);
    expect(bus.stats().eventsAccepted).toBe(0);
  });

  it("accepts exactly 10 entries", async () => {
    const bus = await startBus({ rules: [] });
    const result = await putEvents(
      bus,
      Array.from({ length: 10 }, () => purchaseEntry()),
    );
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(10);
  });

  it("sizes entries as documented (Time = 14 bytes, UTF-8 bytes of Source, DetailType, Detail, Resources)", async () => {
    const bus = await startBus({ rules: [] });
    const resource = "arn:aws:events:eu-west-1:000000000000:rule/x";
    // "€" is 3 UTF-8 bytes: a character count would under-measure the request.
    const entryOfSize = (bytes: number): PutEventsRequestEntry => {
      const fixed = 14 + "retail.web.shop".length + "Purchase Completed".length + resource.length;
      const detailBytes = bytes - fixed;
      const padding = "€".repeat(10) + "x".repeat(detailBytes - '{"pad":""}'.length - 30);
      return {
        Time: new Date("2025-03-01T10:00:00Z"),
        Source: "retail.web.shop",
        DetailType: "Purchase Completed",
        Detail: JSON.stringify({ pad: padding }),
        Resources: [resource],
      };
    };
    const half = DEFAULT_MAX_REQUEST_ENTRY_BYTES / 2;

    const atLimit = await putEvents(bus, [entryOfSize(half), entryOfSize(half)]);
    expect(atLimit.FailedEntryCount).toBe(0);

    const error = await sdkError(putEvents(bus, [entryOfSize(half), entryOfSize(half + 1)]));
    expect(error.name).toBe("ValidationException");
    expect(error.message).toBe("Total size of the entries in the request is over the limit.");
  });

  it("honours a configured size limit", async () => {
    const bus = await startBus({ rules: [], maxRequestEntryBytes: 100 });
    const error = await sdkError(putEvents(bus, [purchaseEntry({ note: "y".repeat(100) })]));
    expect(error.name).toBe("ValidationException");
  });

  it("fails bad entries one by one (MalformedDetail, InvalidArgument) while the rest succeed", async () => {
    const sink = recorder();
    const bus = await startBus({ rules: [{ id: "all", eventPattern: matchAll, target: sink.target }] });

    const result = await putEvents(bus, [
      purchaseEntry({ orderId: "good-1" }),
      { ...purchaseEntry(), Detail: "{not json" },
      { ...purchaseEntry(), Detail: "[1,2]" },
      { Source: "retail.pos.store-042", DetailType: "Purchase Completed" },
      { ...purchaseEntry(), Source: undefined },
      purchaseEntry({ orderId: "good-2" }),
    ]);

    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries?.[1]).toEqual({
      ErrorCode: "MalformedDetail",
      ErrorMessage: "Detail is malformed.",
    });
    expect(result.Entries?.[2]?.ErrorCode).toBe("MalformedDetail");
    expect(result.Entries?.[3]).toEqual({
      ErrorCode: "InvalidArgument",
      ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument.",
    });
    expect(result.Entries?.[4]?.ErrorMessage).toContain("Parameter Source is not valid");
    expect(result.Entries?.[5]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    await bus.drain();
    expect(sink.events.map((e) => e.detail)).toEqual([{ orderId: "good-1" }, { orderId: "good-2" }]);
    expect(bus.stats()).toMatchObject({ eventsAccepted: 2, entriesFailed: 4 });
  });

  it("answers unknown operations with a JSON 1.1 error and status 400", async () => {
    const bus = await startBus({ rules: [] });
    const response = await fetch(bus.url, {
      method: "POST",
      headers: { "x-amz-target": "AWSEvents.PutRule", "content-type": "application/x-amz-json-1.1" },
      body: JSON.stringify({ Name: "r" }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(await response.json()).toEqual({
      __type: "UnknownOperationException",
      message: "Operation AWSEvents.PutRule is not supported by the local bus.",
    });
  });

  it("answers a body that is not JSON with SerializationException", async () => {
    const bus = await startBus({ rules: [] });
    const response = await fetch(bus.url, {
      method: "POST",
      headers: { "x-amz-target": "AWSEvents.PutEvents" },
      body: "{",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: "SerializationException" });
  });

  it("serves GET /health with queue stats", async () => {
    const bus = await startBus({ rules: [] });
    await putEvents(bus, [purchaseEntry()]);
    const response = await fetch(`${bus.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      stats: { eventsAccepted: 1, eventsUnmatched: 1, queued: 0 },
    });
  });
});
