import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../../domain";
import { exampleProgramInput, programSchema } from "../../../domain";
import { createProgramRepository } from "../../../functions/adapters/dynamo/program-repository";
import { createSimulatedClock } from "../../../scripts/local/clock";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { type Platform, startPlatform } from "../../../scripts/local/platform";
import { memberIdFor, replayEvents, yesterday } from "../../../scripts/replay/replay-events";
import { runReplay } from "../../../scripts/replay/run-replay";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";
import { EXAMPLE_PARTNERS, withPartnerPurchases } from "../../../scripts/replay/synthetic-partners";

// Issue #18: two partners' monthly statements after a replay through the whole pipeline (bus, consumers,
// DynamoDB Local), checked against an independent sum over every ledger entry in the table. Points here are
// valid for three months, so partner points expire during the replay as members come back; at the end members
// redeem Café Lumen's funded reward over the HTTP API.

// The log ends yesterday: the local HTTP API answers on the real clock, as `npm run replay` does.
const END_DAY = yesterday(new Date());
const MEMBERS = 80;
const retail = replayEvents(syntheticPurchaseLog({ members: MEMBERS, seed: 7, endDay: END_DAY, days: 150 }), {
  endDay: END_DAY,
});
const events = withPartnerPurchases(retail, {
  seed: 7,
  partners: EXAMPLE_PARTNERS,
  partnerRate: 0.6,
  refundRate: 0.2,
  endAt: new Date(`${END_DAY}T23:59:59.999Z`),
});
const clock = createSimulatedClock(new Date((events[0]?.at.getTime() ?? 0) - 60_000));
const marketer = () => signLocalToken({ marketer: "ada" });
let platform: Platform;

const call = async (path: string, token: string, init: RequestInit = {}) => {
  const response = await fetch(`${platform.urls.api}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected loosely in tests
  return { status: response.status, body: (await response.json()) as any };
};

beforeAll(async () => {
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    clock,
    handlerLogLevel: "SILENT",
    outboxPollIntervalMs: 50,
    jobs: [],
  });
  // Version 2 of the example program, in effect before the log starts: points valid for three months, a cheaper pastry.
  const input = structuredClone(exampleProgramInput);
  Object.assign(input, { version: 2, effectiveFrom: "2025-01-02T00:00:00Z" });
  input.expiry = { ruleId: "expiry-3-months", validityMonths: 3 };
  input.rewards = input.rewards?.map((r) => (r.rewardId === "lumen-pastry" ? { ...r, pointsCost: 40 } : r));
  await createProgramRepository({ client: platform.client, tableName: platform.tableName }).publish(
    programSchema.parse(input),
    "test-setup",
  );
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

async function ledgerEntries(): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await platform.client.send(
      new ScanCommand({
        TableName: platform.tableName,
        FilterExpression: "begins_with(SK, :ledger)",
        ExpressionAttributeValues: { ":ledger": { S: "LEDGER#" } },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) entries.push(unmarshall(item).entry as LedgerEntry);
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return entries;
}

/** The statement's point figures summed straight from the entries, written apart from the domain's own code. */
function independentSum(entries: readonly LedgerEntry[], partnerId: string, month: string) {
  const sum = { issued: 0, redeemed: 0, expired: 0, reversed: 0, redeemedWith: 0 };
  for (const entry of entries) {
    if (new Date(entry.occurredAt).toISOString().slice(0, 7) !== month) continue;
    const details = entry.details;
    // Issued is read from the purchases themselves, not from the shares.
    if (entry.kind === "earn" && details?.type === "purchase" && details.partnerId === partnerId)
      sum.issued += entry.points + (entry.pendingPoints ?? 0);
    const share = (entry.partners ?? []).find((s) => s.partnerId === partnerId)?.points ?? 0;
    if (entry.kind === "redeem") sum.redeemed -= share;
    if (entry.kind === "expire") sum.expired -= share;
    if (entry.kind === "reverse" || entry.kind === "adjust") sum.reversed -= share;
    if (details?.type === "redemption" && details.partnerId === partnerId) sum.redeemedWith -= entry.points;
  }
  return sum;
}

describe("partner statements after a replay", () => {
  it("match an independent sum over the ledger, month by month, for both partners", {
    timeout: 400_000,
  }, async () => {
    const run = await runReplay({
      platform,
      events,
      speed: "max",
      clock,
      endAt: new Date(`${END_DAY}T23:59:00Z`),
    });
    expect(run.sent).toBe(events.length);
    await platform.settle();

    // Members spend on Café Lumen's pastry where they can (the rest answer 409, not enough points).
    const memberIds = [...new Set(Array.from({ length: MEMBERS }, (_, i) => memberIdFor(String(i + 1))))];
    let redeemed = 0;
    for (const memberId of memberIds) {
      const token = await signLocalToken({ member: memberId });
      const res = await call("/me/redemptions", token, {
        method: "POST",
        body: JSON.stringify({ rewardId: "lumen-pastry" }),
        headers: { "idempotency-key": `pastry-${memberId}` },
      });
      if (res.status === 201) redeemed += 1;
      else expect(res.body.title).toBe("Not enough points");
    }
    expect(redeemed).toBeGreaterThan(0);
    await platform.settle();

    const entries = await ledgerEntries();
    const months = [...new Set(entries.map((e) => new Date(e.occurredAt).toISOString().slice(0, 7)))].sort();
    const token = await marketer();
    const totals = { issued: 0, expired: 0, reversed: 0, redeemedWith: 0 };
    for (const partner of EXAMPLE_PARTNERS) {
      for (const month of months) {
        const res = await call(`/partners/${partner.id}/statement?month=${month}`, token);
        expect(res.status).toBe(200);
        const expected = independentSum(entries, partner.id, month);
        const { issued, redeemed: spent, expired, reversed } = res.body.points;
        expect({
          issued,
          redeemed: spent,
          expired,
          reversed,
          redeemedWith: res.body.redeemedWithPartner,
        }).toEqual(expected);
        expect(res.body.points.net).toBe(issued - spent - expired - reversed);
        totals.issued += issued;
        totals.expired += expired;
        totals.reversed += reversed;
        totals.redeemedWith += res.body.redeemedWithPartner;
      }
    }
    // The replay reached every figure: partner purchases, refunds, expiries and funded redemptions.
    expect(totals.issued).toBeGreaterThan(0);
    expect(totals.reversed).toBeGreaterThan(0);
    expect(totals.expired).toBeGreaterThan(0);
    expect(totals.redeemedWith).toBeGreaterThan(0);
  });

  it("lets a partner read its own statement only, and names the bad field", async () => {
    const own = await signLocalToken({ partner: "cafe-lumen" });
    expect((await call(`/partners/cafe-lumen/statement?month=${END_DAY.slice(0, 7)}`, own)).status).toBe(200);
    expect((await call("/partners/velo-fuel/statement?month=2026-05", own)).status).toBe(403);
    const token = await marketer();
    const bad = await call("/partners/cafe-lumen/statement?month=2026-13", token);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.month"]);
    expect((await call("/partners/nobody/statement?month=2026-05", token)).status).toBe(404);
    const member = await signLocalToken({ member: memberIdFor("1") });
    expect((await call("/partners/cafe-lumen/statement?month=2026-05", member)).status).toBe(403);
  });
});
