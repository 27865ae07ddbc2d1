import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// GET /members?email=: the PROFILE item's e-mail keys in GSI1, written by the one profile writer.

let t: TestApi;
let token: string;
beforeAll(async () => {
  t = await startTestApi();
  token = await marketerToken("alice");
});
afterAll(async () => {
  await t.stop();
});

const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

async function setEmail(memberId: string, email: string, changedAt: string) {
  await t.api.deps.members.mergeProfile(memberId, { fields: { email }, changedAt });
}

async function search(email: string) {
  const res = await t.call("GET", `/members?email=${encodeURIComponent(email)}`, { token });
  expect(res.status).toBe(200);
  return (res.body.members as { memberId: string }[]).map((m) => m.memberId);
}

describe("GET /members?email=", () => {
  it("finds every member with the address, ignoring case, and nobody for an unknown one", async () => {
    await t.enrol("ms-b", "ms-a", "ms-c");
    await setEmail("ms-b", "Ann.Smith@Example.com", hoursAgo(5));
    await setEmail("ms-a", "ann.smith@example.com", hoursAgo(5));
    await setEmail("ms-c", "carl@example.com", hoursAgo(5));
    expect(await search("ANN.SMITH@example.COM")).toEqual(["ms-a", "ms-b"]);
    expect(await search("carl@example.com")).toEqual(["ms-c"]);
    expect(await search("nobody@example.com")).toEqual([]);
    // Whole address only: a prefix finds nobody.
    expect(await search("carl@example.co")).toEqual([]);
  });

  it("follows a changed e-mail: the old address no longer finds the member", async () => {
    await t.enrol("ms-move");
    await setEmail("ms-move", "old.address@example.com", hoursAgo(4));
    expect(await search("old.address@example.com")).toEqual(["ms-move"]);
    await t.api.deps.members.mergeProfile("ms-move", {
      fields: { email: "new.address@example.com", locale: "en-GB" },
      changedAt: hoursAgo(3),
    });
    expect(await search("old.address@example.com")).toEqual([]);
    expect(await search("new.address@example.com")).toEqual(["ms-move"]);
    // A change of another field keeps the member filed under the address.
    await t.api.deps.members.mergeProfile("ms-move", { fields: { locale: "de-DE" }, changedAt: hoursAgo(2) });
    expect(await search("new.address@example.com")).toEqual(["ms-move"]);
    // An older e-mail change arriving late is not applied, so it moves nothing either.
    await setEmail("ms-move", "stale@example.com", hoursAgo(6));
    expect(await search("stale@example.com")).toEqual([]);
    expect(await search("new.address@example.com")).toEqual(["ms-move"]);
  });

  it("refuses a missing or invalid address naming email, and anyone but a marketer", async () => {
    for (const path of ["/members", "/members?email=not-an-address", "/members?email="]) {
      const res = await t.call("GET", path, { token });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.email"]);
    }
    const member = await memberToken("ms-a");
    expect((await t.call("GET", "/members?email=ann.smith%40example.com", { token: member })).status).toBe(
      403,
    );
    expect((await t.call("GET", "/members?email=ann.smith%40example.com")).status).toBe(401);
  });
});
