import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberState } from "../../../domain";
import { resolveMember } from "../../../domain/member/lifecycle";
import { exampleProgram } from "../../../domain/program/example-program";
import { memberToken, startTestApi, type TestApi } from "./http-fixture";

// GET /me lists the challenges open to the member, in progress and completed, and their badges;
// POST /me/challenges/{id}/opt-in joins one through the shared runner, once per member and challenge.

const DAY_MS = 86_400_000;
let t: TestApi;
let token: string;

beforeAll(async () => {
  t = await startTestApi();
  token = await memberToken("challenger-1");
  const state = resolveMember(undefined, "challenger-1", exampleProgram, new Date(Date.now() - 5 * DAY_MS));
  await t.api.deps.members.createMember("challenger-1", state as MemberState & Record<string, unknown>);
});
afterAll(async () => {
  await t.stop();
});

const byId = (body: { challenges: { challengeId: string }[] }, id: string) =>
  body.challenges.find((c) => c.challengeId === id);

describe("challenges over HTTP", () => {
  it("GET /me shows the example's challenges as available, and no badges yet", async () => {
    const me = await t.call("GET", "/me", { token });
    expect(me.status).toBe(200);
    expect(byId(me.body, "three-visits-30-days")).toMatchObject({
      status: "available",
      optIn: true,
      metric: "purchaseCount",
      target: 3,
      progress: 0,
      days: 30,
      reward: { points: 250, badge: { badgeId: "regular", name: "Regular" } },
    });
    expect(byId(me.body, "complete-profile")).toMatchObject({
      status: "available",
      optIn: false,
      deadline: "2029-12-31T23:00:00.000Z",
    });
    expect(me.body.badges).toEqual([]);
  });

  it("opting in starts the rolling window; a repeat replays the first answer", async () => {
    const before = Date.now();
    const first = await t.call("POST", "/me/challenges/three-visits-30-days/opt-in", { token });
    expect(first.status).toBe(201);
    const { startsAt, deadline } = first.body;
    expect(Date.parse(startsAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(deadline) - Date.parse(startsAt)).toBe(30 * DAY_MS);
    const again = await t.call("POST", "/me/challenges/three-visits-30-days/opt-in", { token });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);

    const me = await t.call("GET", "/me", { token });
    expect(byId(me.body, "three-visits-30-days")).toMatchObject({
      status: "in-progress",
      progress: 0,
      deadline,
    });
    const ledger = await t.call("GET", "/me/ledger", { token });
    expect(ledger.body.entries[0]).toMatchObject({
      points: 0,
      reason: "Joined challenge Three visits in 30 days",
      ruleIds: ["three-visits-30-days"],
    });
  });

  it("answers 404 for an unknown challenge and 422 for one that needs no opt-in", async () => {
    const unknown = await t.call("POST", "/me/challenges/no-such-challenge/opt-in", { token });
    expect(unknown.status).toBe(404);
    const noOptIn = await t.call("POST", "/me/challenges/complete-profile/opt-in", { token });
    expect(noOptIn.status).toBe(422);
    expect(noOptIn.body.type).toContain("challenge-no-opt-in");
  });
});
