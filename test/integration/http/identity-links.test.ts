import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARKED_EVENTS_PK } from "../../../functions/adapters/dynamo/keys";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { createLocalTokenIssuer, type LocalTokenRequest } from "../../../scripts/local/local-token";
import { type CallResult, marketerToken, startTestApi, type TestApi } from "./http-fixture";

// Cognito users linked to loyalty members (issue #12): sign-up → enrolment, a verified e-mail, a link code
// from the till; each link once, one user per member and one member per user; revocable, with its history.
// Shoppers' tokens come from the local token path, which runs the pre-token trigger's own code.

const MINUTE = 60_000;
let clockOffset = 0;
const clock = () => new Date(Date.now() + clockOffset);
let t: TestApi;
let marketer: string;
let issuer: ReturnType<typeof createLocalTokenIssuer>;

beforeAll(async () => {
  t = await startTestApi({ clock });
  marketer = await marketerToken("alice");
  issuer = createLocalTokenIssuer({
    client: t.api.table.client,
    tableName: t.api.table.tableName,
    now: clock,
  });
});
afterAll(async () => {
  await t.stop();
});

/** A shopper's token as the deployed trigger would make it: memberId once linked. */
async function signIn(request: LocalTokenRequest): Promise<{ token: string; memberId?: string }> {
  const issued = await issuer.issue(request);
  if ("error" in issued) throw new Error(issued.error);
  const claims = decodeJwt(issued.accessToken);
  expect(claims["cognito:groups"]).toEqual(["members"]);
  expect(claims.memberId).toBe(issued.memberId);
  return { token: issued.accessToken, ...(issued.memberId !== undefined && { memberId: issued.memberId }) };
}

const enrolment = (email: string) => ({
  email,
  locale: "en-GB",
  timeZone: "Europe/London",
  consent: { email: true, sms: false, push: false },
  profile: { givenName: "Ann" },
});

/** A member as a till's Member Enrolled makes one: STATE, and a PROFILE filed under its e-mail. */
async function enrolAtTill(memberId: string, email: string) {
  await t.enrol(memberId);
  await t.api.deps.members.mergeProfile(memberId, { fields: { email }, changedAt: clock().toISOString() });
}

async function issueCode(memberId: string, token = marketer) {
  const res = await t.call("POST", `/members/${memberId}/link-codes`, { token });
  expect(res.status).toBe(201);
  return res.body as { memberId: string; code: string; validUntil: string };
}

const link = (token: string, memberId: string, code: string) =>
  t.call("POST", "/me/link", { token, body: { memberId, code } });

function expectProblem(res: CallResult, status: number, slug: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body.type).toBe(`urn:patron:problem:${slug}`);
}

describe("an unlinked signed-in user", () => {
  it("gets 403 problem+json on every member route saying how to link", async () => {
    const { token, memberId } = await signIn({ user: "sub-unlinked" });
    expect(memberId).toBeUndefined();
    for (const path of ["/me", "/me/ledger", "/me/rewards", "/me/preferences"]) {
      const res = await t.call("GET", path, { token });
      expectProblem(res, 403, "member-not-linked");
      expect(res.body.detail).toContain("POST /me/link");
      expect(res.body.detail).toContain("POST /me/enrolment");
    }
  });

  it("cannot issue link codes, and a marketer cannot link or enrol", async () => {
    const { token } = await signIn({ user: "sub-curious" });
    await enrolAtTill("m-guarded", "guarded@example.com");
    expect((await t.call("POST", "/members/m-guarded/link-codes", { token })).status).toBe(403);
    expect(
      (await t.call("POST", "/me/enrolment", { token: marketer, body: enrolment("x@example.com") })).status,
    ).toBe(403);
  });
});

describe("sign-up then enrolment", () => {
  it("creates the member, links it, publishes Member Enrolled, and GET /me shows the new member", async () => {
    const first = await signIn({ user: "sub-newcomer" });
    const res = await t.call("POST", "/me/enrolment", {
      token: first.token,
      body: enrolment("new@example.com"),
    });
    expect(res.status).toBe(201);
    const memberId: string = res.body.memberId;
    expect(res.body).toMatchObject({ method: "enrolment", memberId: expect.stringMatching(/^m-/) });
    // The token issued before the enrolment works at once (the API reads the link) ...
    const me = await t.call("GET", "/me", { token: first.token });
    expect(me.status).toBe(200);
    expect(me.body.memberId).toBe(memberId);
    // ... and the next token carries the member id, as the trigger's would.
    const next = await signIn({ user: "sub-newcomer" });
    expect(next.memberId).toBe(memberId);
    expect((await t.call("GET", "/me", { token: next.token })).body.memberId).toBe(memberId);
    const view = await t.call("GET", `/members/${memberId}`, { token: marketer });
    expect(view.body.profile).toMatchObject({ email: "new@example.com", consent: { email: true } });

    const { Items = [] } = await t.api.table.client.send(
      new QueryCommand({
        TableName: t.api.table.tableName,
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": { S: PARKED_EVENTS_PK } },
      }),
    );
    const events = Items.flatMap(
      (item) => unmarshall(item).events as { type: string; detail: Record<string, unknown> }[],
    );
    expect(events.filter((e) => e.type === "Member Enrolled" && e.detail.memberId === memberId)).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ email: "new@example.com", channel: "app" }),
      }),
    ]);

    const again = await t.call("POST", "/me/enrolment", {
      token: first.token,
      body: enrolment("new@example.com"),
    });
    expectProblem(again, 409, "identity-already-linked");
  });
});

describe("link by verified e-mail (on sign-in)", () => {
  it("links when the address is verified and exactly one member has it, ignoring case", async () => {
    await enrolAtTill("m-ann", "Ann@Example.com");
    expect(
      (await signIn({ user: "sub-ann", email: "ann@example.com", emailVerified: false })).memberId,
    ).toBeUndefined();
    const signedIn = await signIn({ user: "sub-ann", email: "ann@example.com", emailVerified: true });
    expect(signedIn.memberId).toBe("m-ann");
    expect((await t.call("GET", "/me", { token: signedIn.token })).body.memberId).toBe("m-ann");
    const identity = await t.call("GET", "/members/m-ann/identity", { token: marketer });
    expect(identity.body.link).toMatchObject({ sub: "sub-ann", method: "verified-email" });
    expect(identity.body.history).toEqual([
      expect.objectContaining({
        event: "linked",
        sub: "sub-ann",
        method: "verified-email",
        by: expect.any(String),
      }),
    ]);
    // Another user with the same verified address does not get the member.
    expect(
      (await signIn({ user: "sub-ann-2", email: "ANN@example.com", emailVerified: true })).memberId,
    ).toBeUndefined();
  });

  it("does not link when two members share the address", async () => {
    await enrolAtTill("m-twin-1", "twins@example.com");
    await enrolAtTill("m-twin-2", "twins@example.com");
    expect(
      (await signIn({ user: "sub-twin", email: "twins@example.com", emailVerified: true })).memberId,
    ).toBeUndefined();
  });
});

describe("link by code", () => {
  it("a till (producer service) or a marketer issues it; the member links once with it", async () => {
    await enrolAtTill("m-code", "code@example.com");
    const till = await signLocalToken({ producer: "pos-store-042" });
    const fromTill = await issueCode("m-code", till);
    expect(fromTill.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(Date.parse(fromTill.validUntil) - clock().getTime()).toBeGreaterThan(14 * MINUTE);
    const { token } = await signIn({ user: "sub-code" });
    // Typed in lower case without the dash: still the code.
    const res = await link(token, "m-code", fromTill.code.toLowerCase().replace("-", ""));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ memberId: "m-code", method: "link-code" });
    expect((await t.call("GET", "/me", { token })).body.memberId).toBe("m-code");
    // A retry by the same user answers the same link.
    expect((await link(token, "m-code", fromTill.code)).status).toBe(200);
    const identity = await t.call("GET", "/members/m-code/identity", { token: marketer });
    expect(identity.body.link).toMatchObject({ sub: "sub-code", codeIssuedBy: "pos-store-042" });
    // The code is stored only as a hash.
    const stored = JSON.stringify(
      await t.api.table.client.send(
        new QueryCommand({
          TableName: t.api.table.tableName,
          KeyConditionExpression: "PK = :pk",
          ExpressionAttributeValues: { ":pk": { S: "MEMBER#m-code" } },
        }),
      ),
    );
    expect(stored).not.toContain(fromTill.code);
  });

  it("rejects an unknown, a wrong-member, a reused and an expired code, each with its own problem", async () => {
    await enrolAtTill("m-pick", "pick@example.com");
    await enrolAtTill("m-other", "other@example.com");
    const { token } = await signIn({ user: "sub-picky" });
    const { code } = await issueCode("m-pick");
    expectProblem(await link(token, "m-pick", "ZZZZ-ZZZZ"), 422, "link-code-unknown");
    expectProblem(await link(token, "m-other", code), 422, "link-code-wrong-member");
    expect((await link(token, "m-pick", "7K3Q")).status).toBe(400);

    const taker = await signIn({ user: "sub-taker" });
    expect((await link(taker.token, "m-pick", code)).status).toBe(200);
    expectProblem(await link(token, "m-pick", code), 422, "link-code-used");

    await enrolAtTill("m-late", "late@example.com");
    const late = await issueCode("m-late");
    clockOffset = 16 * MINUTE;
    try {
      expectProblem(await link(token, "m-late", late.code), 422, "link-code-expired");
    } finally {
      clockOffset = 0;
    }
    expect((await t.call("GET", "/me", { token })).status).toBe(403);
  });
});

describe("one Cognito user per member, one member per user", () => {
  it("a linked user cannot link a second member", async () => {
    await enrolAtTill("m-one", "one@example.com");
    await enrolAtTill("m-two", "two@example.com");
    const { token } = await signIn({ user: "sub-greedy" });
    expect((await link(token, "m-one", (await issueCode("m-one")).code)).status).toBe(200);
    expectProblem(
      await link(token, "m-two", (await issueCode("m-two")).code),
      409,
      "identity-already-linked",
    );
    expectProblem(
      await t.call("POST", "/me/enrolment", { token, body: enrolment("greedy@example.com") }),
      409,
      "identity-already-linked",
    );
    // And a linked member gets no further codes.
    expectProblem(
      await t.call("POST", "/members/m-one/link-codes", { token: marketer }),
      409,
      "member-already-linked",
    );
  });

  it("of two users racing for one member, exactly one wins", async () => {
    await enrolAtTill("m-race", "race@example.com");
    const [a, b] = [await issueCode("m-race"), await issueCode("m-race")];
    const [ua, ub] = [await signIn({ user: "sub-race-a" }), await signIn({ user: "sub-race-b" })];
    const results = await Promise.all([link(ua.token, "m-race", a.code), link(ub.token, "m-race", b.code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.type).toBe("urn:patron:problem:member-already-linked");
  });

  it("of one user racing to link two members, exactly one link is made", async () => {
    await enrolAtTill("m-left", "left@example.com");
    await enrolAtTill("m-right", "right@example.com");
    const [left, right] = [await issueCode("m-left"), await issueCode("m-right")];
    const { token } = await signIn({ user: "sub-both" });
    const results = await Promise.all([link(token, "m-left", left.code), link(token, "m-right", right.code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)?.body.memberId;
    expect((await t.call("GET", "/me", { token })).body.memberId).toBe(winner);
  });
});

describe("revocation", () => {
  it("a marketer revokes a link; the user is unlinked, can link again, and the history says who and why", async () => {
    await enrolAtTill("m-revoke", "revoke@example.com");
    const { token } = await signIn({ user: "sub-revoked" });
    expect((await link(token, "m-revoke", (await issueCode("m-revoke")).code)).status).toBe(200);
    const revoked = await t.call("DELETE", "/members/m-revoke/identity?reason=card%20lost", {
      token: marketer,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked).toMatchObject({ sub: "sub-revoked", memberId: "m-revoke" });
    expectProblem(await t.call("GET", "/me", { token }), 403, "member-not-linked");
    expect((await signIn({ user: "sub-revoked" })).memberId).toBeUndefined();
    expectProblem(
      await t.call("DELETE", "/members/m-revoke/identity", { token: marketer }),
      404,
      "not-found",
    );
    expect((await t.call("DELETE", "/members/m-revoke/identity", { token })).status).toBe(403);

    expect((await link(token, "m-revoke", (await issueCode("m-revoke")).code)).status).toBe(200);
    const history = (await t.call("GET", "/members/m-revoke/identity", { token: marketer })).body.history;
    expect(history.map((h: { event: string }) => h.event)).toEqual(["linked", "revoked", "linked"]);
    expect(history[1]).toMatchObject({ by: "alice", reason: "card lost", sub: "sub-revoked" });
  });

  it("a revoked e-mail link stays revoked at the next sign-in; a link code still links", async () => {
    await enrolAtTill("m-mail-revoke", "mail-revoke@example.com");
    const verified = { user: "sub-mail-revoked", email: "mail-revoke@example.com", emailVerified: true };
    expect((await signIn(verified)).memberId).toBe("m-mail-revoke");
    const revoked = await t.call("DELETE", "/members/m-mail-revoke/identity?reason=not%20theirs", {
      token: marketer,
    });
    expect(revoked.status).toBe(200);

    const again = await signIn(verified);
    expect(again.memberId).toBeUndefined();
    expectProblem(await t.call("GET", "/me", { token: again.token }), 403, "member-not-linked");
    expect(
      (await t.call("GET", "/members/m-mail-revoke/identity", { token: marketer })).body.link,
    ).toBeNull();

    // The revocation only stops the automatic link: the member can still link explicitly.
    const code = (await issueCode("m-mail-revoke")).code;
    expect((await link(again.token, "m-mail-revoke", code)).status).toBe(200);
    expect((await signIn(verified)).memberId).toBe("m-mail-revoke");
  });
});

describe("audit trail", () => {
  it("records each link code issued, each read of a member's identity and each revocation", async () => {
    await enrolAtTill("m-audited", "audited@example.com");
    const till = await signLocalToken({ producer: "pos-store-007" });
    await issueCode("m-audited", till);
    const { code } = await issueCode("m-audited");
    const { token } = await signIn({ user: "sub-audited" });
    expect((await link(token, "m-audited", code)).status).toBe(200);
    expect((await t.call("GET", "/members/m-audited/identity", { token: marketer })).status).toBe(200);
    expect((await t.call("DELETE", "/members/m-audited/identity", { token: marketer })).status).toBe(200);
    // A refused request is in the trail too, with how it ended.
    expect((await t.call("POST", "/members/m-nobody/link-codes", { token: marketer })).status).toBe(404);

    const auditor = await signLocalToken({ marketer: "carol", groups: ["auditor"] });
    const trail = async (memberId: string) => {
      const res = await t.call("GET", `/audit?memberId=${memberId}`, { token: auditor });
      expect(res.status).toBe(200);
      const entries = res.body.entries as {
        action: string;
        actor: { name: string };
        outcome: string;
        route: string;
      }[];
      return entries.map((e) => [e.action, e.actor.name, e.outcome, e.route]).sort();
    };
    expect(await trail("m-audited")).toEqual([
      ["identity.read", "alice", "ok", "GET /members/{id}/identity"],
      ["identity.revoke", "alice", "ok", "DELETE /members/{id}/identity"],
      ["link-code.issue", "alice", "ok", "POST /members/{id}/link-codes"],
      ["link-code.issue", "pos-store-007", "ok", "POST /members/{id}/link-codes"],
    ]);
    expect(await trail("m-nobody")).toEqual([
      ["link-code.issue", "alice", "not-found", "POST /members/{id}/link-codes"],
    ]);
  });
});
