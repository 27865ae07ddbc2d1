import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenSigner, signUnsubscribeToken } from "../../../functions/http/signed-token";
import { LOCAL_SIGNING_SECRET } from "../../../scripts/local/http-api/local-jwt";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// Member A must never read or change member B, on every member route; members cannot use marketer
// routes; tampered cursors, tokens and unsubscribe links are rejected.

let t: TestApi;
let a: string;
let b: string;
let marketer: string;
const prefsB = {
  consent: { email: true, sms: true, push: false },
  timeZone: "Europe/Paris",
  quietHours: { start: "22:00", end: "07:00" },
};

beforeAll(async () => {
  t = await startTestApi();
  [a, b, marketer] = await Promise.all([
    memberToken("member-a"),
    memberToken("member-b"),
    marketerToken("alice"),
  ]);
  await t.enrol("member-a", "member-b");
  for (let i = 0; i < 3; i += 1) {
    const res = await t.call("POST", "/members/member-b/adjustments", {
      token: marketer,
      headers: { "idempotency-key": `seed-b-000${i}` },
      body: { points: 400, reason: "Welcome gift" },
    });
    expect(res.status).toBe(201);
  }
  expect((await t.call("PUT", "/me/preferences", { token: b, body: prefsB })).status).toBe(200);
});
afterAll(async () => {
  await t.stop();
});

async function bState() {
  const res = await t.call("GET", "/members/member-b", { token: marketer });
  expect(res.status).toBe(200);
  return {
    points: res.body.summary.points.spendable,
    ledger: res.body.recentLedger.length,
    profile: res.body.profile,
  };
}

describe("member isolation", () => {
  it("GET /me, /me/ledger, /me/rewards and /me/preferences show only the caller, whatever the query says", async () => {
    const me = await t.call("GET", "/me?memberId=member-b&id=member-b", { token: a });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ memberId: "member-a", points: { spendable: 0 } });
    const ledger = await t.call("GET", "/me/ledger?memberId=member-b", { token: a });
    expect(ledger.body.entries).toEqual([]);
    const rewards = await t.call("GET", "/me/rewards", { token: a });
    expect(rewards.body.spendable).toBe(0);
    const prefs = await t.call("GET", "/me/preferences", { token: a });
    expect(prefs.body).toEqual({
      consent: { email: false, sms: false, push: false },
      timeZone: "UTC",
      quietHours: null,
    });
    expect((await t.call("GET", "/me", { token: b })).body.points.spendable).toBe(1200);
  });

  it("A's ledger cursor is useless to B and B's to A; a tampered cursor is rejected", async () => {
    const first = await t.call("GET", "/me/ledger?limit=1", { token: b });
    expect(first.body.entries).toHaveLength(1);
    const cursor: string = first.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const next = await t.call("GET", `/me/ledger?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: b });
    expect(next.status).toBe(200);
    expect(next.body.entries[0].entryId).not.toBe(first.body.entries[0].entryId);
    const stolen = await t.call("GET", `/me/ledger?cursor=${encodeURIComponent(cursor)}`, { token: a });
    expect(stolen.status).toBe(400);
    expect(stolen.body.errors[0].path).toBe("query.cursor");
    const [payload, mac] = cursor.split(".");
    const decoded = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const edited = Buffer.from(JSON.stringify({ ...decoded, m: "member-a" })).toString("base64url");
    const tampered = await t.call("GET", `/me/ledger?cursor=${edited}.${mac}`, { token: a });
    expect(tampered.status).toBe(400);
  });

  it("POST /me/redemptions and PUT /me/preferences cannot target B", async () => {
    const before = await bState();
    const redeem = await t.call("POST", "/me/redemptions", {
      token: a,
      headers: { "idempotency-key": "a-tries-b-0001" },
      body: { rewardId: "free-coffee", memberId: "member-b" },
    });
    expect(redeem.status).toBe(400);
    expect(redeem.body.errors).toContainEqual({
      path: "memberId",
      message: expect.stringContaining("unknown"),
    });
    const poor = await t.call("POST", "/me/redemptions", {
      token: a,
      headers: { "idempotency-key": "a-tries-b-0002" },
      body: { rewardId: "free-coffee" },
    });
    expect(poor.status).toBe(409);
    const prefs = await t.call("PUT", "/me/preferences", {
      token: a,
      body: { ...prefsB, consent: { email: false, sms: false, push: true }, memberId: "member-b" },
    });
    expect(prefs.status).toBe(400);
    expect(await bState()).toEqual(before);
  });

  it("members get 403 on every marketer route, marketers 403 on member routes", async () => {
    const marketerRoutes: [string, string][] = [
      ["GET", "/program"],
      ["PUT", "/program"],
      ["GET", "/program/versions"],
      ["POST", "/program/preview"],
      ["GET", "/members/member-b"],
      ["POST", "/members/member-a/adjustments"],
      ["GET", "/rewards"],
      ["PUT", "/rewards/free-coffee"],
    ];
    for (const [method, path] of marketerRoutes) {
      const body = method === "GET" ? undefined : {};
      const res = await t.call(method, path, { token: a, body, headers: { "idempotency-key": "abcdefgh" } });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.type).toBe("urn:patron:problem:forbidden");
    }
    expect((await t.call("GET", "/me", { token: marketer })).status).toBe(403);
    expect((await bState()).points).toBe(1200);
  });

  it("one-click unsubscribe withdraws consent with a valid link and rejects a tampered or foreign one", async () => {
    const signer = createTokenSigner(LOCAL_SIGNING_SECRET);
    const token = signUnsubscribeToken(signer, {
      memberId: "member-b",
      channel: "email",
      issuedAt: new Date().toISOString(),
    });
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const [payload, mac] = token.split(".");
    const decoded = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const edited = `${Buffer.from(JSON.stringify({ ...decoded, m: "member-a" })).toString("base64url")}.${mac}`;
    const otherKey = signUnsubscribeToken(createTokenSigner("x".repeat(40)), {
      memberId: "member-b",
      channel: "email",
      issuedAt: decoded.iat,
    });
    for (const bad of [edited, otherKey, "garbage"]) {
      const res = await t.call("POST", `/unsubscribe?token=${encodeURIComponent(bad)}`, {
        rawBody: "List-Unsubscribe=One-Click",
        headers: form,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe("query.token");
    }
    expect((await bState()).profile.consent.email).toBe(true);
    const ok = await t.call("POST", `/unsubscribe?token=${encodeURIComponent(token)}`, {
      rawBody: "List-Unsubscribe=One-Click",
      headers: form,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ unsubscribed: true, channel: "email" });
    expect((await bState()).profile.consent).toEqual({ email: false, sms: true, push: false });
  });
});
