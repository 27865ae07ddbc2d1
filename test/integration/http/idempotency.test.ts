import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// Idempotency-Key on the HTTP API holds for ever: a retry after any number of newer changes gets the
// first answer (same status and body), the same key with another body is a 422, and nothing is applied
// twice. Adjusting a member who was never enrolled changes nothing.

let t: TestApi;
let marketer: string;
beforeAll(async () => {
  t = await startTestApi();
  marketer = await marketerToken("alice");
});
afterAll(async () => {
  await t.stop();
});

const adjust = (memberId: string, key: string, points: number, reason = "Goodwill credit") =>
  t.call("POST", `/members/${memberId}/adjustments`, {
    token: marketer,
    headers: { "idempotency-key": key },
    body: { points, reason },
  });

describe("Idempotency-Key", () => {
  it("replays the first adjustment after 40 newer changes: applied once, same answer", async () => {
    await t.enrol("idem-1");
    const first = await adjust("idem-1", "first-adjustment", 100);
    expect(first.status).toBe(201);
    for (let n = 0; n < 40; n += 1) {
      expect((await adjust("idem-1", `small-${String(n).padStart(4, "0")}`, 1)).status).toBe(201);
    }
    const retry = await adjust("idem-1", "first-adjustment", 100);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const me = await t.call("GET", "/me", { token: await memberToken("idem-1") });
    expect(me.body.points.spendable).toBe(140);
  });

  it("the same key with another body is a 422 and changes nothing", async () => {
    await t.enrol("idem-2");
    expect((await adjust("idem-2", "reused-key-01", 50)).status).toBe(201);
    const reused = await adjust("idem-2", "reused-key-01", 5000);
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe("urn:patron:problem:idempotency-key-reused");
    const me = await t.call("GET", "/me", { token: await memberToken("idem-2") });
    expect(me.body.points.spendable).toBe(50);
  });

  it("a redemption retried after newer changes returns the first voucher; another reward is a 422", async () => {
    await t.enrol("idem-3");
    expect((await adjust("idem-3", "seed-credit-1", 1000)).status).toBe(201);
    const token = await memberToken("idem-3");
    const redeem = (key: string, rewardId: string) =>
      t.call("POST", "/me/redemptions", { token, headers: { "idempotency-key": key }, body: { rewardId } });
    const first = await redeem("redeem-first-1", "free-coffee");
    expect(first.status).toBe(201);
    for (let n = 0; n < 20; n += 1) await adjust("idem-3", `later-${String(n).padStart(4, "0")}`, 1);
    const retry = await redeem("redeem-first-1", "free-coffee");
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    expect((await redeem("redeem-first-1", "tote-bag")).status).toBe(422);
    const me = await t.call("GET", "/me", { token });
    expect(me.body.points.spendable).toBe(1000 - 150 + 20);
  });

  it("adjusting a member who was never enrolled is a 404 and writes nothing", async () => {
    const res = await adjust("never-enrolled", "ghost-credit-1", 1_000_000);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await t.api.deps.members.getMember("never-enrolled")).toBeUndefined();
    expect(
      await t.api.deps.members.getAppliedKey("adjustment:never-enrolled:ghost-credit-1"),
    ).toBeUndefined();
  });
});
