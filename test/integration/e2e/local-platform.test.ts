import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Program } from "../../../domain";
import { isInHoldout } from "../../../domain/retention/holdout";
import { createSimulatedClock } from "../../../scripts/local/clock";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import type { ScheduledRun } from "../../../scripts/local/jobs";
import { type Platform, startPlatform } from "../../../scripts/local/platform";
import { listSentEmails } from "../../../scripts/local/ses-local";

// Boots the whole local platform (its own DynamoDB Local, SES local, bus, outbox poller, the real daily jobs,
// HTTP API) on free ports with a simulated clock, and drives it only from the outside: the real EventBridge
// client, HTTP with member and marketer tokens, the local job endpoint and SES local's store.
//
// The HTTP API answers at real time (as in AWS) while the bus and the jobs follow the simulated clock, so the
// clock starts far enough in the past for a member to lapse before it reaches today: the unsubscribe link
// carries the simulated send time and the API refuses links issued in its future.

const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
// Longer than the seeded program's slowest lapse (checked in the test), with a few days to spare.
const start = new Date(today - 125 * DAY_MS + 12 * 3_600_000);
const clock = createSimulatedClock(start);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let platform: Platform;
let events: EventBridgeClient;
// Platform errors (a failed scheduled job run is only logged, as Scheduler would only retry it).
const errors: string[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    clock,
    log: {
      info() {},
      warn() {},
      error: (message, data) => errors.push(`${message} ${JSON.stringify(data)}`),
    },
    handlerLogLevel: "SILENT",
    bus: { baseDelayMs: 50 },
    outboxPollIntervalMs: 50,
  });
  events = new EventBridgeClient({
    endpoint: platform.urls.bus,
    region: "eu-west-1",
    // An operator key: it sends the web shop's enrolments and the tills' purchases, which no one producer may.
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
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

const enrolled = (memberId: string, at: Date, email: string, givenName?: string) => ({
  Source: "retail.web.shop",
  DetailType: "Member Enrolled",
  Detail: JSON.stringify({
    schemaVersion: "1",
    memberId,
    occurredAt: at.toISOString(),
    email,
    locale: "en-IE",
    timeZone: "Europe/Dublin",
    consent: { email: true, sms: false, push: false },
    ...(givenName && { profile: { givenName } }),
  }),
});

const purchase = (
  memberId: string,
  orderId: string,
  category: string,
  cents: number,
  at: Date,
  offer?: { codes: string[]; store: string },
) => ({
  Source: `retail.pos.${offer?.store ?? "store-001"}`,
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
    ...(offer && { offerCodes: offer.codes }),
  }),
});

const api = async (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${platform.urls.api}${path}`, {
    ...init,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...init.headers },
  });

describe("local platform", () => {
  it("answers GET /health only with every part up", async () => {
    const response = await api("/health");
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

  it("e-mails a lapsing member as the simulated clock runs the scheduled jobs, and honours one-click unsubscribe", async () => {
    const marketer = await signLocalToken({ marketer: "e2e" });
    const programResponse = await api("/program", marketer);
    expect(programResponse.status).toBe(200);
    const program = ((await programResponse.json()) as { program: Program }).program;
    const { rhythm, lifecycle, holdout } = program.retention;
    // A member in the control group gets no e-mail by design: take the first id outside it.
    const memberId = Array.from({ length: 100 }, (_, i) => `m-e2e-lapse-${i}`).find(
      (id) => !isInHoldout(id, holdout.percent, holdout.salt),
    ) as string;
    const address = `${memberId}@example.test`;

    // Two purchases on the first day: too few purchase days for a rhythm of their own, so the default gap
    // applies, stretched at most by the value model's P(alive).
    const first = clock.now();
    const firstDay = Date.parse(`${isoDay(first.getTime())}T00:00:00Z`);
    await put([
      enrolled(memberId, new Date(first.getTime() - 60_000), address, "Aoife"),
      purchase(memberId, "o-lapse-1", "apparel", 4500, first),
      purchase(memberId, "o-lapse-2", "shoes", 2000, new Date(first.getTime() + 60_000)),
    ]);
    await platform.settle();
    const memberToken = await signLocalToken({ member: memberId });
    const me = (await (await api("/me", memberToken)).json()) as {
      points: { spendable: number; pending: number };
    };
    // 45 + 30 points and the 100-point welcome bonus; the API reads them at real time, months later, so
    // they are spendable by then.
    expect(me.points).toMatchObject({ spendable: 175, pending: 0 });

    const longestGap = Math.min(
      rhythm.maxGapDays,
      Math.round(rhythm.defaultGapDays * rhythm.probabilityAlive.maxFactor),
    );
    const lapseDay = firstDay + Math.ceil(longestGap * lifecycle.lapsedFactor) * DAY_MS;
    expect(lapseDay).toBeLessThan(today - DAY_MS);

    // Day by day, as `npm start` would over those months: every job at its function-spec times.
    const runs: ScheduledRun[] = [];
    for (let day = firstDay + DAY_MS; day <= lapseDay; day += DAY_MS) {
      clock.advanceTo(new Date(day + 12 * 3_600_000));
      runs.push(...(await platform.catchUpJobs()));
      await platform.settle();
    }
    // The analytics job once a day, the retention job every hour.
    expect(runs).toHaveLength((25 * (lapseDay - firstDay)) / DAY_MS);
    const hours = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00:00.000Z`);
    expect(new Set(runs.map((r) => `${r.name} ${r.at.toISOString().slice(11)}`))).toEqual(
      new Set(["analytics-job 01:00:00.000Z", ...hours.map((time) => `retention-job ${time}`)]),
    );
    expect(errors).toEqual([]);
    expect(platform.outboundCounts()["Member Lapsing"]).toBeGreaterThanOrEqual(1);

    const mail = (await listSentEmails(platform.urls.ses)).filter((e) => e.destination.to.includes(address));
    const winBack = mail.find((e) => e.subject === `Come back to ${program.name}`);
    if (!winBack)
      throw new Error(`no win-back e-mail; subjects sent: ${mail.map((e) => e.subject).join(" | ")}`);
    expect(winBack.body.text).toContain("Hi Aoife,");
    const header = (name: string) =>
      winBack.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
    expect(header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const link = /^<(.+)>$/.exec(header("List-Unsubscribe") ?? "")?.[1] as string;
    expect(link.startsWith(`${platform.urls.api}/unsubscribe?token=`)).toBe(true);

    // RFC 8058: the mailbox provider POSTs this body to the link, without cookies or a login.
    const unsubscribed = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(unsubscribed.status).toBe(200);
    const preferences = (await (await api("/me/preferences", memberToken)).json()) as {
      consent: { email: boolean };
    };
    expect(preferences.consent.email).toBe(false);

    // The e-mail's offer code: the till checks it over HTTP (valid for this member only), then two tills take
    // it at once while the first order is delivered twice. It is redeemed once and counted for its campaign.
    // The newest e-mail's code: the API checks it at real time, and the simulation ends about 11 days ago.
    const latest = mail.filter((e) => /Your code: /.test(e.body.text ?? "")).sort((a, b) => b.at - a.at)[0];
    const code = /Your code: ([2-9A-HJKMNP-Z]{10})/.exec(latest?.body.text ?? "")?.[1] as string;
    expect(code, latest?.body.text).toBeDefined();
    expect(latest?.body.html).toContain(code);
    const till = await signLocalToken({ producer: "pos-store-001" });
    const validate = async (member: string) =>
      (await api("/offers/validate", till, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ memberId: member, code, basketTotal: 3000 }),
      }).then((r) => r.json())) as { valid: boolean; reason?: string };
    expect(await validate(memberId)).toMatchObject({ valid: true });
    expect(await validate("m-e2e-someone-else")).toEqual({ valid: false, reason: "not-found" });

    // Buying again within the conversion window counts as won back (consent only governs e-mail); the next
    // retention run reports it.
    expect(platform.outboundCounts()["Member Won Back"] ?? 0).toBe(0);
    const withCode = purchase(memberId, "o-lapse-3", "apparel", 3000, clock.now(), {
      codes: [code],
      store: "store-001",
    });
    await Promise.all([
      put([withCode]),
      put([withCode]),
      put([
        purchase(memberId, "o-lapse-4", "shoes", 3000, clock.now(), { codes: [code], store: "store-002" }),
      ]),
    ]);
    await platform.settle();
    expect(await validate(memberId)).toEqual({ valid: false, reason: "already-redeemed" });
    const campaigns = (await (await api("/campaigns", marketer)).json()) as {
      triggers: { trigger: string; redeemed: number }[];
    };
    const redeemed = campaigns.triggers.filter((row) => row.trigger.startsWith("win-back"));
    expect(redeemed.reduce((sum, row) => sum + row.redeemed, 0)).toBe(1);
    expect(platform.outboundCounts()["Offer Redeemed"]).toBe(1);
    clock.advanceTo(new Date(lapseDay + DAY_MS + 12 * 3_600_000));
    await platform.catchUpJobs();
    await platform.settle();
    expect(platform.outboundCounts()["Member Won Back"]).toBe(1);
  }, 300_000);

  it("turns purchases sent with the EventBridge SDK into points a member reads over HTTP", async () => {
    const memberId = "m-e2e-1";
    // Close to real time now, so the API (at real time) still holds the points in the return window.
    clock.advanceTo(new Date(today - DAY_MS + 12 * 3_600_000));
    const at = clock.now();
    await put([
      enrolled(memberId, new Date(at.getTime() - 60_000), "m-e2e-1@example.test"),
      // 45 points + the 100-point welcome bonus (first purchase over EUR 10), then shoes at x1.5.
      purchase(memberId, "o-1", "apparel", 4500, at),
      purchase(memberId, "o-2", "shoes", 2000, new Date(at.getTime() + 60_000)),
    ]);
    await platform.settle();

    const response = await api("/me", await signLocalToken({ member: memberId }));
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

  it("signs a shopper up through the local token path: unlinked, enrolled, then a token with the memberId", async () => {
    const signIn = async () => {
      const response = await api("/_local/token", undefined, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: "local-shopper-1" }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { accessToken: string; memberId?: string };
    };
    const first = await signIn();
    expect(first.memberId).toBeUndefined();
    const unlinked = await api("/me", first.accessToken);
    expect(unlinked.status).toBe(403);
    expect(((await unlinked.json()) as { type: string }).type).toBe("urn:patron:problem:member-not-linked");
    const enrolled = await api("/me/enrolment", first.accessToken, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: "local-shopper-1@example.com",
        locale: "en-GB",
        timeZone: "Europe/London",
        consent: { email: false, sms: false, push: false },
      }),
    });
    expect(enrolled.status).toBe(201);
    const { memberId } = (await enrolled.json()) as { memberId: string };
    const next = await signIn();
    expect(next.memberId).toBe(memberId);
    const me = await api("/me", next.accessToken);
    expect(((await me.json()) as { memberId: string }).memberId).toBe(memberId);
    // Member Enrolled leaves through the outbox like every outbound event, and nothing consumes it again.
    await platform.settle();
    expect(platform.outboundCounts()["Member Enrolled"]).toBe(1);
    expect(platform.bus.deadLetters()).toEqual([]);
  });

  it("refuses a member's data without a token, like API Gateway's authorizer", async () => {
    expect((await api("/me")).status).toBe(401);
  });

  it("runs a job on demand through the local job endpoint, and names the known ones otherwise", async () => {
    const at = clock.now().toISOString();
    const response = await api(`/_local/jobs/retention-job?at=${at}`, undefined, { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ job: "retention-job", at, report: { failed: 0 } });

    const unknown = await api("/_local/jobs/no-such-job", undefined, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { jobs: string[] }).jobs.sort()).toEqual([
      "analytics-job",
      "retention-job",
    ]);

    const badDate = await api("/_local/jobs/retention-job?at=yesterday", undefined, { method: "POST" });
    expect(badDate.status).toBe(400);
  });
});
