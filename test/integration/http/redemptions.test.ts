import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { dedicatedDynamoLocal } from "../support/dynamo";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// Races of 50 concurrent redemptions on one member: a DynamoDB Local of this file's own, so the race's timing
// owes nothing to earlier files (the load tests' reason, test/integration/support/dynamo.ts).
let dynamo: DynamoLocal;
let t: TestApi;
let marketer: string;
beforeAll(async () => {
  dynamo = await dedicatedDynamoLocal();
  t = await startTestApi({ endpoint: dynamo.endpoint });
  marketer = await marketerToken("alice");
});
afterAll(async () => {
  await t?.stop();
  await dynamo?.stop();
});

async function credit(memberId: string, points: number, key: string) {
  await t.enrol(memberId);
  const res = await t.call("POST", `/members/${memberId}/adjustments`, {
    token: marketer,
    headers: { "idempotency-key": key },
    body: { points, reason: "Test credit" },
  });
  expect(res.status).toBe(201);
}

async function fullLedger(token: string) {
  const entries: { points: number; kind: string }[] = [];
  let cursor: string | undefined;
  do {
    const res = await t.call(
      "GET",
      `/me/ledger?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { token },
    );
    entries.push(...res.body.entries);
    cursor = res.body.nextCursor;
  } while (cursor);
  return entries;
}

describe("POST /me/redemptions", () => {
  it("50 concurrent redemptions worth more than the balance: exactly the affordable number succeed", async () => {
    await credit("rich-but-not-that-rich", 1000, "credit-concurrent-01");
    const token = await memberToken("rich-but-not-that-rich");
    // free-coffee costs 150: 1000 affords 6 (900), leaving 100.
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.call("POST", "/me/redemptions", {
          token,
          headers: { "idempotency-key": `concurrent-${String(i).padStart(4, "0")}` },
          body: { rewardId: "free-coffee" },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    expect(statuses.filter((s) => s === 409)).toHaveLength(44);
    for (const r of results.filter((x) => x.status === 409))
      expect(r.body.type).toBe("urn:patron:problem:insufficient-points");
    const codes = new Set(results.filter((r) => r.status === 201).map((r) => r.body.voucherCode));
    expect(codes.size).toBe(6);

    const me = await t.call("GET", "/me", { token });
    expect(me.body.points.spendable).toBe(100);
    const ledger = await fullLedger(token);
    expect(ledger.filter((e) => e.kind === "redeem")).toHaveLength(6);
    expect(ledger.reduce((sum, e) => sum + e.points, 0)).toBe(me.body.points.spendable);
  });

  it("a retried request returns the first result, even after other redemptions", async () => {
    await credit("retrier", 2000, "credit-retrier-0001");
    const token = await memberToken("retrier");
    const send = (key: string, rewardId = "voucher-5") =>
      t.call("POST", "/me/redemptions", { token, headers: { "idempotency-key": key }, body: { rewardId } });
    const first = await send("retry-key-0001");
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ rewardId: "voucher-5", pointsSpent: 500, replayed: false });
    expect(first.body.voucherCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await send("retry-key-0002", "free-coffee");
    const again = await send("retry-key-0001");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect((await t.call("GET", "/me", { token })).body.points.spendable).toBe(2000 - 500 - 150);
    const reused = await send("retry-key-0001", "free-coffee");
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe("urn:patron:problem:idempotency-key-reused");
  });

  it("concurrent retries of one request redeem once", async () => {
    await credit("double-clicker", 1000, "credit-double-0001");
    const token = await memberToken("double-clicker");
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.call("POST", "/me/redemptions", {
          token,
          headers: { "idempotency-key": "same-click-0001" },
          body: { rewardId: "voucher-5" },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.voucherCode)).size).toBe(1);
    expect((await t.call("GET", "/me", { token })).body.points.spendable).toBe(500);
  });

  it("requires an Idempotency-Key and names a missing or unknown reward", async () => {
    await t.enrol("no-key");
    const token = await memberToken("no-key");
    const missing = await t.call("POST", "/me/redemptions", { token, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "header.idempotency-key",
      "rewardId",
    ]);
    const unknown = await t.call("POST", "/me/redemptions", {
      token,
      headers: { "idempotency-key": "unknown-reward-01" },
      body: { rewardId: "yacht" },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toBe("urn:patron:problem:reward-unavailable");
  });
});
