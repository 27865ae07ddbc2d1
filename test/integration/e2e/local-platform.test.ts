import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulatedClock } from "../../../scripts/local/clock";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { type LocalJobFactory, localJobFactories } from "../../../scripts/local/jobs";
import { type Platform, startPlatform } from "../../../scripts/local/platform";

// Boots the whole local platform (its own DynamoDB Local, SES local, bus, outbox poller, jobs, HTTP API) on
// free ports with a simulated clock, and drives it only from the outside: the real EventBridge client, HTTP
// with a member token, and the local job endpoint.

const DAY_MS = 86_400_000;
const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS + 12 * 3_600_000);
const clock = createSimulatedClock(start);
const probeRuns: string[] = [];
// A job on expiry-job's daily 02:00 UTC schedule that only records when it ran.
const probe: LocalJobFactory = () => ({
  name: "expiry-job",
  run: async (at) => {
    probeRuns.push(at.toISOString());
    return { ranAt: at.toISOString() };
  },
});

let platform: Platform;
let events: EventBridgeClient;

beforeAll(async () => {
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    clock,
    jobs: [...localJobFactories, probe],
    handlerLogLevel: "SILENT",
    bus: { baseDelayMs: 50 },
    outboxPollIntervalMs: 50,
  });
  events = new EventBridgeClient({
    endpoint: platform.urls.bus,
    region: "eu-west-1",
    credentials: { accessKeyId: "pos", secretAccessKey: "pos" },
  });
});

afterAll(async () => {
  events?.destroy();
  await platform?.stop();
});

const put = async (entries: PutEventsRequestEntry[]) => {
  const result = await events.send(new PutEventsCommand({ Entries: entries }));
  expect(result.FailedEntryCount).toBe(0);
};

const purchase = (memberId: string, orderId: string, category: string, cents: number, at: Date) => ({
  Source: "retail.pos.store-001",
  DetailType: "Purchase Completed",
  Detail: JSON.stringify({
    schemaVersion: "1",
    orderId,
    memberId,
    channel: "pos",
    storeId: "store-001",
    occurredAt: at.toISOString(),
    currency: "EUR",
    lines: [{ sku: `sku-${category}`, category, quantity: 1, unitPrice: cents }],
    discountTotal: 0,
    total: cents,
  }),
});

describe("local platform", () => {
  it("answers GET /health only with every part up", async () => {
    const response = await fetch(`${platform.urls.api}/health`);
    const body = (await response.json()) as { ok: boolean; checks: Record<string, { ok: boolean }> };
    expect(response.status).toBe(200);
    expect(body.ok).toBe(true);
    expect(Object.keys(body.checks).sort()).toEqual([
      "eventBus",
      "outboxPoller",
      "program",
      "sesLocal",
      "table",
    ]);
  });

  it("turns purchases sent with the EventBridge SDK into points a member reads over HTTP", async () => {
    const memberId = "m-e2e-1";
    const at = clock.now();
    await put([
      {
        Source: "retail.web.shop",
        DetailType: "Member Enrolled",
        Detail: JSON.stringify({
          schemaVersion: "1",
          memberId,
          occurredAt: new Date(at.getTime() - 60_000).toISOString(),
          email: "m-e2e-1@example.test",
          locale: "en-IE",
          timeZone: "Europe/Dublin",
          consent: { email: true, sms: false, push: false },
        }),
      },
      // 45 points + the 100-point welcome bonus (first purchase over EUR 10), then shoes at x1.5.
      purchase(memberId, "o-1", "apparel", 4500, at),
      purchase(memberId, "o-2", "shoes", 2000, new Date(at.getTime() + 60_000)),
    ]);
    await platform.settle();

    const token = await signLocalToken({ member: memberId });
    const response = await fetch(`${platform.urls.api}/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const me = (await response.json()) as {
      memberId: string;
      points: { spendable: number; pending: number };
    };
    expect(me.memberId).toBe(memberId);
    // Pending through the 30-day return window.
    expect(me.points).toMatchObject({ spendable: 0, pending: 175 });
    // The outbox poller published Patron's own events back onto the bus.
    expect(platform.outboundCounts()["Points Earned"]).toBeGreaterThanOrEqual(2);
    expect(platform.bus.deadLetters()).toEqual([]);
  });

  it("refuses a member's data without a token, like API Gateway's authorizer", async () => {
    expect((await fetch(`${platform.urls.api}/me`)).status).toBe(401);
  });

  it("runs the daily jobs as the simulated clock passes their time", async () => {
    const before = probeRuns.length;
    clock.advanceTo(new Date(start.getTime() + 2 * DAY_MS));
    await platform.catchUpJobs();
    const day = (offset: number) => new Date(start.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
    expect(probeRuns.slice(before)).toEqual([`${day(1)}T02:00:00.000Z`, `${day(2)}T02:00:00.000Z`]);
  });

  it("runs a job on demand through the local job endpoint, and names the known ones otherwise", async () => {
    const at = "2026-01-15T02:00:00.000Z";
    const response = await fetch(`${platform.urls.api}/_local/jobs/expiry-job?at=${at}`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ job: "expiry-job", at, report: { ranAt: at } });

    const unknown = await fetch(`${platform.urls.api}/_local/jobs/no-such-job`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { jobs: string[] }).jobs).toContain("expiry-job");

    const badDate = await fetch(`${platform.urls.api}/_local/jobs/expiry-job?at=yesterday`, {
      method: "POST",
    });
    expect(badDate.status).toBe(400);
  });
});
