import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// POST /members/{id}/merge: what moved, once for ever (a retry answers the first result, another survivor is
// 409), field-named errors, the duplicate's sign-in reading the survivor, and the audit trail.

let t: TestApi;
let marketer: string;
beforeAll(async () => {
  t = await startTestApi();
  marketer = await marketerToken("alice");
  await t.enrol("keep", "dup", "other");
  for (const [memberId, points] of [
    ["keep", 300],
    ["dup", 120],
  ] as const) {
    const res = await t.call("POST", `/members/${memberId}/adjustments`, {
      token: marketer,
      headers: { "idempotency-key": `seed-${memberId}` },
      body: { points, reason: "Opening balance" },
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await t.stop();
});

const merge = (survivor: string, body: unknown) =>
  t.call("POST", `/members/${survivor}/merge`, { token: marketer, body });

describe("POST /members/{id}/merge", () => {
  it("moves the duplicate's points once; the same request again answers the same, elsewhere is 409", async () => {
    const first = await merge("keep", { absorbedId: "dup", reason: "Same customer, two cards" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ memberId: "keep", absorbedId: "dup", points: 120, balance: 420 });
    const again = await merge("keep", { absorbedId: "dup", reason: "Same customer, two cards" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const elsewhere = await merge("other", { absorbedId: "dup", reason: "Same customer, two cards" });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.type).toMatch(/already-merged/);
    // The duplicate's sign-in now reads the member kept.
    const me = await t.call("GET", "/me", { token: await memberToken("dup") });
    expect(me.body.points.spendable).toBe(420);
    const auditor = await signLocalToken({ marketer: "carol", groups: ["auditor"] });
    const audit = await t.call("GET", "/audit?memberId=keep", { token: auditor });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain("member.merge");
  });

  it("names the field: the same member, an empty reason, an unknown member", async () => {
    const same = await merge("other", { absorbedId: "other", reason: "Oops" });
    expect(same.status).toBe(422);
    expect(JSON.stringify(same.body)).toMatch(/memberId/);
    const empty = await merge("other", { absorbedId: "keep", reason: "  " });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toMatch(/reason/);
    expect((await merge("other", { absorbedId: "nobody", reason: "Duplicate" })).status).toBe(404);
  });
});
