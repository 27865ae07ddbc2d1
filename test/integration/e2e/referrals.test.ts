import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerEntry, MemberState } from "../../../domain";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createSimulatedClock } from "../../../scripts/local/clock";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { type Platform, startPlatform } from "../../../scripts/local/platform";

// A referral chain through the whole local platform (DynamoDB Local, the bus routing to the real handlers, the
// outbox publishing Patron's events back to the bus, the retention job): Anna shares her code with Ben, Ben his
// with Cleo. Ben's first purchase is refunded within the return window (no reward for anyone), Cleo's is kept
// (Cleo and Ben rewarded), then Ben's second purchase is kept (Ben and Anna rewarded). Nobody buys again after a
// qualifying purchase: the retention job, which files a referee under the day their purchase clears, settles
// them, and Patron's own Referral Completed event rewards the referrer. The seeded example program: referee 200
// points, referrer 500, first purchase at least EUR 20, 30 pending days.

const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const start = today - 90 * DAY_MS;
const clock = createSimulatedClock(new Date(start + 10 * 3_600_000));

let platform: Platform;
let events: EventBridgeClient;
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
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});

afterAll(async () => {
  events?.destroy();
  await platform?.stop();
});

const put = async (entry: PutEventsRequestEntry) => {
  const result = await events.send(new PutEventsCommand({ Entries: [entry] }));
  expect(result.FailedEntryCount).toBe(0);
  await platform.settle();
};
const now = () => clock.now().toISOString();
const enrol = (memberId: string, email: string, referralCode?: string) =>
  put({
    Source: "retail.web.shop",
    DetailType: "Member Enrolled",
    Detail: JSON.stringify({
      schemaVersion: "1",
      memberId,
      occurredAt: now(),
      email,
      locale: "en-IE",
      timeZone: "Europe/Dublin",
      consent: { email: true, sms: false, push: false },
      ...(referralCode && { referralCode }),
    }),
  });
const buy = (memberId: string, orderId: string, cents: number, paymentFingerprint?: string) =>
  put({
    Source: "retail.pos.store-001",
    DetailType: "Purchase Completed",
    Detail: JSON.stringify({
      schemaVersion: "1",
      orderId,
      memberId,
      channel: "pos",
      storeId: "store-001",
      occurredAt: now(),
      currency: "EUR",
      lines: [{ sku: "sku-grocery", category: "grocery", quantity: 1, unitPrice: cents }],
      discountTotal: 0,
      total: cents,
      ...(paymentFingerprint && { paymentFingerprint }),
    }),
  });
const refund = (memberId: string, orderId: string, cents: number) =>
  put({
    Source: "retail.pos.store-001",
    DetailType: "Purchase Refunded",
    Detail: JSON.stringify({
      schemaVersion: "1",
      refundId: `R-${orderId}`,
      originalOrderId: orderId,
      memberId,
      occurredAt: now(),
      currency: "EUR",
      amount: cents,
    }),
  });

/** Days pass one by one, the retention job running each day at noon as its first run from 09:00 would. */
async function daysPass(days: number) {
  for (let i = 0; i < days; i += 1) {
    clock.advanceTo(new Date(clock.now().getTime() + DAY_MS));
    await platform.jobs.run("retention-job");
    await platform.settle();
  }
}

async function referralCode(memberId: string): Promise<string> {
  const response = await fetch(`${platform.urls.api}/me/referral`, {
    headers: { authorization: `Bearer ${await signLocalToken({ member: memberId })}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { code: string }).code;
}

async function referralEntries(memberId: string) {
  const members = createMemberRepository({ client: platform.client, tableName: platform.tableName });
  const page = await members.queryLedger<LedgerEntry>(memberId, { limit: 100 });
  return page.records
    .map((r) => r.entry)
    .filter((e) => e.kind === "referral")
    .map((e) => [e.entryId, e.points]);
}

async function state(memberId: string): Promise<MemberState | undefined> {
  const members = createMemberRepository({ client: platform.client, tableName: platform.tableName });
  return (await members.getMember<MemberState & Record<string, unknown>>(memberId))?.state;
}

describe("referrals through the bus", () => {
  it("rewards a kept first purchase on both sides, and a refunded one on neither", async () => {
    await enrol("anna", "anna@example.com");
    const annaCode = await referralCode("anna");
    expect(annaCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(await referralCode("anna")).toBe(annaCode);

    // Typed with a dash and in lower case, as members may.
    await enrol("ben", "ben@example.com", `${annaCode.slice(0, 4)}-${annaCode.slice(4)}`.toLowerCase());
    const benCode = await referralCode("ben");
    await enrol("cleo", "cleo@example.com", benCode);
    // Anna's own second address with her code (same e-mail, other case): a self-referral, not linked.
    await enrol("anna-again", "Anna@Example.com", annaCode);
    expect((await state("ben"))?.referral?.referredBy).toMatchObject({ referrerId: "anna" });
    expect((await state("cleo"))?.referral?.referredBy).toMatchObject({ referrerId: "ben" });
    expect((await state("anna-again"))?.referral).toBeUndefined();
    // Dora joins with Anna's code but pays with Anna's card: that purchase does not qualify.
    await enrol("dora", "dora@example.com", annaCode);
    await buy("anna", "A-1", 1500, "card-fp-anna-0001");
    await buy("dora", "D-1", 5000, "card-fp-anna-0001");
    expect((await state("dora"))?.referral?.referredBy?.status).toBe("awaiting-purchase");

    await daysPass(1);
    await buy("ben", "B-1", 3000);
    await buy("cleo", "C-1", 4000);
    await daysPass(2);
    await refund("ben", "B-1", 3000);
    expect((await state("ben"))?.referral?.referredBy?.status).toBe("awaiting-purchase");

    // Cleo's purchase clears 30 days after it was made.
    await daysPass(27);
    expect(await referralEntries("cleo")).toEqual([]);
    await daysPass(1);
    expect(await referralEntries("cleo")).toEqual([["referral:cleo:referee", 200]]);
    expect(await referralEntries("ben")).toEqual([["referral:cleo:referrer", 500]]);
    expect(await referralEntries("anna")).toEqual([]);

    // Ben's second purchase is kept: now he and Anna are rewarded, once each.
    await buy("ben", "B-2", 2500);
    await daysPass(30);
    expect((await referralEntries("ben")).sort()).toEqual([
      ["referral:ben:referee", 200],
      ["referral:cleo:referrer", 500],
    ]);
    expect(await referralEntries("anna")).toEqual([["referral:ben:referrer", 500]]);
    expect((await state("anna"))?.referral?.asReferrer).toMatchObject({ completed: 1, rewarded: 1 });

    const counts = platform.outboundCounts();
    expect(counts["Referral Completed"]).toBe(2);
    expect(errors).toEqual([]);
  });
});
