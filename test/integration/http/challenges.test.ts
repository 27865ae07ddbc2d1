import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberState } from "../../../domain";
import { resolveMember } from "../../../domain/member/lifecycle";
import { exampleProgram } from "../../../domain/program/example-program";
import { enrolment, interaction, purchase } from "../pipeline/events";
import { memberToken, startTestApi, type TestApi } from "./http-fixture";
import { memberEventsOn } from "./member-events";

// GET /me lists the challenges open to the member, in progress (progress, remaining, deadline) and completed,
// and their badges (named, dated);
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

  it("GET /me shows progress above 0 with its deadline, a completed challenge, and its badge named and dated", async () => {
    const memberId = "challenger-2";
    const own = await memberToken(memberId);
    const events = memberEventsOn(t);
    const enrolled = await events.deliver(enrolment(memberId, new Date(Date.now() - DAY_MS).toISOString()));
    expect(enrolled.status).toBe("committed");
    const optIn = await t.call("POST", "/me/challenges/three-visits-30-days/opt-in", { token: own });
    expect(optIn.status).toBe(201);
    const latte = { sku: "LATTE", category: "coffee", quantity: 2, unitPrice: 450 };
    const bought = await events.deliver(purchase(memberId, "CH-1", new Date().toISOString(), [latte]));
    expect(bought.status).toBe("committed");
    const now = new Date().toISOString();
    const profile = {
      ...interaction(memberId, "PROFILE-1", "profile-completed", now),
      source: "retail.app.mobile",
    };
    expect((await events.deliver(profile)).status).toBe("committed");

    const me = await t.call("GET", "/me", { token: own });
    expect(me.status).toBe(200);
    const { deadline } = optIn.body;
    expect(byId(me.body, "three-visits-30-days")).toMatchObject({
      status: "in-progress",
      progress: 1,
      remaining: 2,
      deadline,
      summary: `1 of 3 qualifying purchases, by ${deadline}`,
    });
    expect(byId(me.body, "complete-profile")).toMatchObject({
      status: "completed",
      progress: 1,
      remaining: 0,
      summary: "Complete your profile: completed",
    });
    expect(byId(me.body, "complete-profile")).not.toHaveProperty("deadline");
    expect(me.body.badges).toEqual([
      { badgeId: "profile-complete", name: "Profile complete", awardedOn: now.slice(0, 10) },
    ]);
  });
});
