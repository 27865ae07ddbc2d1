import { createHash } from "node:crypto";
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import {
  type RejectedEventSink,
  tableRejectedEventSink,
} from "../../../functions/adapters/bus/rejected-events";
import { createInteractionRecordedHandler } from "../../../functions/handlers/interaction-recorded";
import { createMemberEnrolledHandler } from "../../../functions/handlers/member-enrolled";
import { createPurchaseCompletedHandler } from "../../../functions/handlers/purchase-completed";
import { createLogger } from "../../../functions/shared/logger";
import { type Envelope, enrolment, interaction, purchase } from "./events";
import { createHarness, type Harness, lambdaContext } from "./harness";

// Item 8 of issue 11: bad input must be parked within DynamoDB's 400 KB item limit, and no value it
// carries may reach a log line or a parked error message. Runs the real handlers with the table sink
// against DynamoDB Local and reads the parked items back.

const NOW = "2025-03-28T12:00:00Z";
const EMAIL = "jane.doe@example.com";
const tee = { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 1999 };

let harness: Harness;
let output: string[];

beforeAll(async () => {
  harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
});
afterAll(async () => harness?.close());
afterEach(() => vi.restoreAllMocks());

/**
 * Delivers to the real handler for the event's detail-type (purchase-completed for any other), parking
 * in the table and logging at INFO into `output` (what CloudWatch would receive).
 */
function consumers(rejected: RejectedEventSink = tableSink()) {
  output = [];
  const capture = (chunk: unknown) => {
    output.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  const deps = { ...harness.deps, rejected, logger: createLogger({ logLevel: "INFO" }) };
  const byType: Record<string, ReturnType<typeof createPurchaseCompletedHandler>> = {
    "Interaction Recorded": createInteractionRecordedHandler(deps),
    "Member Enrolled": createMemberEnrolledHandler(deps),
  };
  const purchases = createPurchaseCompletedHandler(deps);
  return (event: Envelope) => (byType[event["detail-type"]] ?? purchases)(event, lambdaContext);
}

function tableSink() {
  return tableRejectedEventSink({ client: harness.client, tableName: harness.table.tableName });
}

async function parkedItems() {
  const result = await harness.client.send(
    new QueryCommand({
      TableName: harness.table.tableName,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": { S: `REJECTED#${NOW.slice(0, 10)}` } },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

const withDetail = (event: Envelope, patch: Record<string, unknown>): Envelope => ({
  ...event,
  detail: { ...event.detail, ...patch },
});

describe("an oversized invalid event", () => {
  it("is parked truncated with its size and SHA-256, and the handler succeeds", async () => {
    const deliver = consumers();
    const huge = `${EMAIL} ${"x".repeat(210_000)}`;
    const event = withDetail(purchase("m1", "O-BIG", "2025-03-10T10:00:00Z", [tee]), { currency: huge });
    const json = JSON.stringify(event);

    const result = await deliver(event);

    expect(result).toMatchObject({ status: "rejected", reason: "INVALID_EVENT" });
    const item = (await parkedItems()).find((candidate) => candidate.SK?.S?.endsWith(event.id));
    expect(item?.reason?.S).toBe("INVALID_EVENT");
    expect(item?.eventTruncated?.BOOL).toBe(true);
    expect(item?.eventBytes?.N).toBe(String(Buffer.byteLength(json)));
    expect(item?.eventSha256?.S).toBe(createHash("sha256").update(json).digest("hex"));
    const stored = item?.event?.S ?? "";
    expect(stored.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(128 * 1024);
    expect(json.startsWith(stored)).toBe(true);
    const errors = JSON.parse(item?.errors?.S ?? "[]") as { path: string; message: string }[];
    expect(errors.map((error) => error.path)).toContain("detail.currency");
    expect(item?.errors?.S).not.toContain(EMAIL);
    expect(Math.max(...output.map((line) => line.length))).toBeLessThan(4096);
  });

  it("with thousands of unknown fields lists a bounded number of errors, in short log lines", async () => {
    const deliver = consumers();
    const extra = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field${i}`, "y".repeat(40)]));
    const event = withDetail(purchase("m1", "O-WIDE", "2025-03-10T10:00:00Z", [tee]), extra);

    const result = await deliver(event);

    expect(result.status).toBe("rejected");
    if (result.status !== "rejected") return;
    expect(result.errors.length).toBeLessThanOrEqual(20);
    expect(result.errors.at(-1)?.message).toMatch(/^\d+ more field error\(s\) not listed$/);
    const item = (await parkedItems()).find((candidate) => candidate.SK?.S?.endsWith(event.id));
    expect(item?.eventBytes?.N).toBe(String(Buffer.byteLength(JSON.stringify(event))));
    expect(JSON.parse(item?.errors?.S ?? "[]")).toEqual(result.errors);
    expect(output.join("")).toContain("event rejected");
    expect(Math.max(...output.map((line) => line.length))).toBeLessThan(4096);
  });
});

describe("an e-mail address sent in the wrong field", () => {
  const base = purchase("m1", "O-7", "2025-03-10T10:00:00Z", [tee]);
  const placements: Record<string, Envelope> = {
    memberId: withDetail(base, { memberId: EMAIL }),
    orderId: withDetail(base, { orderId: EMAIL }),
    storeId: withDetail(base, { storeId: EMAIL }),
    channel: withDetail(base, { channel: EMAIL }),
    currency: withDetail(base, { currency: EMAIL }),
    occurredAt: withDetail(base, { occurredAt: EMAIL }),
    schemaVersion: withDetail(base, { schemaVersion: EMAIL }),
    "lines[0].sku": withDetail(base, { lines: [{ ...tee, sku: EMAIL }] }),
    "lines[0].quantity": withDetail(base, { lines: [{ ...tee, quantity: EMAIL }] }),
    "an unknown field": withDetail(base, { customerEmail: EMAIL }),
    "detail-type": { ...base, "detail-type": EMAIL },
    source: { ...base, source: EMAIL },
    "interaction kind": withDetail(interaction("m1", "I-1", "review-written", "2025-03-10T10:00:00Z"), {
      kind: EMAIL,
    }),
    "enrolment locale": withDetail(enrolment("m1", "2025-03-01T10:00:00Z"), { locale: EMAIL }),
  };

  it("never appears in a log line or a parked error, though the parked event keeps it", async () => {
    const deliver = consumers();
    for (const [field, event] of Object.entries(placements)) {
      // Each its own EventBridge id: the parked item's key ends with it.
      event.id = `wrong-field-${field.replace(/\W+/g, "-")}`;
      const result = await deliver(event);
      expect(result.status, field).toBe("rejected");
    }
    const logged = output.join("");
    expect(logged).toContain("event rejected");
    expect(logged).not.toContain(EMAIL);
    const items = (await parkedItems()).filter((item) =>
      Object.values(placements).some((event) => item.SK?.S?.endsWith(event.id)),
    );
    expect(items).toHaveLength(Object.keys(placements).length);
    for (const item of items) {
      expect(item.errors?.S).not.toContain(EMAIL);
      expect(item.event?.S).toContain(EMAIL);
    }
  });
});

describe("a rejected event that cannot be parked", () => {
  it("fails the invocation with the rejection's code in the error, for the dead-letter queue", async () => {
    const broken: RejectedEventSink = {
      put: async () => {
        throw Object.assign(new Error("Item size has exceeded the maximum allowed size"), {
          name: "ValidationException",
        });
      },
    };
    const deliver = consumers(broken);
    const event = withDetail(purchase("m1", "O-8", "2025-03-10T10:00:00Z", [tee]), { total: -1 });

    const failure = await deliver(event).then(
      () => undefined,
      (error: unknown) => error as Error,
    );

    expect(failure?.name).toBe("RejectedEventNotParked");
    expect(failure?.message).toContain("INVALID_EVENT");
    expect(failure?.message).toContain("ValidationException");
    expect(output.join("")).toContain("rejected event could not be parked");
  });
});
