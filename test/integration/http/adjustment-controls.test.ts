import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { programSchema } from "../../../domain/program/program-schema";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { createLocalTokenIssuer } from "../../../scripts/local/local-token";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// The controls on marketers' adjustments (program controls.adjustments): over the approval threshold an
// adjustment waits for a second marketer, who applies it exactly once; each marketer has a daily limit that
// holds under concurrent requests. Member PII reads and adjustment decisions land in the audit trail, which
// only marketers in the auditor group may read. Each test's requester has a daily budget of their own.

const THRESHOLD = 500;
const DAILY_LIMIT = 2_000;
const program = programSchema.parse({
  ...exampleProgramInput,
  controls: { adjustments: { approvalThreshold: THRESHOLD, dailyLimitPerMarketer: DAILY_LIMIT } },
});

let t: TestApi;
let alice: string;
let bob: string;
let carol: string;
beforeAll(async () => {
  t = await startTestApi({ program });
  alice = await marketerToken("alice");
  bob = await marketerToken("bob");
  carol = await signLocalToken({ marketer: "carol", groups: ["auditor"] });
});
afterAll(async () => {
  await t.stop();
});

const adjust = (token: string, memberId: string, key: string, points: number) =>
  t.call("POST", `/members/${memberId}/adjustments`, {
    token,
    headers: { "idempotency-key": key, "user-agent": "controls-test/1.0" },
    body: { points, reason: "Goodwill after a lost parcel" },
  });
const decide = (token: string, adjustmentId: string, decision: "approve" | "reject") =>
  t.call("POST", `/adjustments/${adjustmentId}/${decision}`, {
    token,
    headers: { "user-agent": "controls-test/1.0" },
  });
const burstKey = (n: number) => `ctl-4-burst-${String(n).padStart(2, "0")}`;
const spendable = async (memberId: string) =>
  (await t.call("GET", "/me", { token: await memberToken(memberId) })).body.points.spendable as number;

describe("approval above the threshold", () => {
  it("stays pending, changing nothing, until a different marketer approves; the requester cannot", async () => {
    await t.enrol("ctl-1");
    const requested = await adjust(alice, "ctl-1", "ctl-1-large-01", 800);
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ status: "pending", points: 800, requestedBy: "alice" });
    const { adjustmentId } = requested.body;
    expect(await spendable("ctl-1")).toBe(0);
    const pending = await t.call("GET", "/adjustments", { token: bob });
    expect(pending.body.adjustments.map((a: { adjustmentId: string }) => a.adjustmentId)).toContain(
      adjustmentId,
    );

    const own = await decide(alice, adjustmentId, "approve");
    expect(own.status).toBe(403);
    expect(own.headers.get("content-type")).toContain("application/problem+json");
    expect(own.body.type).toBe("urn:patron:problem:self-approval");
    expect(await spendable("ctl-1")).toBe(0);

    const approved = await decide(bob, adjustmentId, "approve");
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "applied", decidedBy: "bob", requestedBy: "alice" });
    expect(await spendable("ctl-1")).toBe(800);
    const view = await t.call("GET", "/members/ctl-1", { token: bob });
    expect(view.body.recentLedger[0].reason).toContain("approved by bob");
    // Once decided it is no longer listed for approvers, and a retry of the request shows it applied.
    const after = await t.call("GET", "/adjustments", { token: bob });
    expect(after.body.adjustments.map((a: { adjustmentId: string }) => a.adjustmentId)).not.toContain(
      adjustmentId,
    );
    const retried = await adjust(alice, "ctl-1", "ctl-1-large-01", 800);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ adjustmentId, status: "applied" });
  });

  it("applies an approval exactly once when approvals are retried and race", async () => {
    await t.enrol("ctl-2");
    const { body } = await adjust(alice, "ctl-2", "ctl-2-large-01", 900);
    const approvals = await Promise.all([
      ...Array.from({ length: 4 }, () => decide(bob, body.adjustmentId, "approve")),
      decide(carol, body.adjustmentId, "approve"),
    ]);
    for (const approval of approvals) expect(approval.status, JSON.stringify(approval.body)).toBe(200);
    const entries = new Set(approvals.map((approval) => approval.body.ledgerEntryId));
    expect(entries.size).toBe(1);
    const again = await decide(bob, body.adjustmentId, "approve");
    expect(again.body.ledgerEntryId).toBe([...entries][0]);
    expect(await spendable("ctl-2")).toBe(900);
  });

  it("applies at or under the threshold at once, and a rejected request can no longer be approved", async () => {
    await t.enrol("ctl-3");
    const frank = await marketerToken("frank");
    const small = await adjust(frank, "ctl-3", "ctl-3-small-01", THRESHOLD);
    expect(small.status).toBe(201);
    expect(small.body).toMatchObject({ status: "applied", spendable: THRESHOLD });
    const large = await adjust(frank, "ctl-3", "ctl-3-large-01", -THRESHOLD - 1);
    expect(large.status).toBe(202);
    expect((await decide(bob, large.body.adjustmentId, "reject")).body.status).toBe("rejected");
    const late = await decide(bob, large.body.adjustmentId, "approve");
    expect(late.status).toBe(409);
    expect(late.body.type).toBe("urn:patron:problem:adjustment-rejected");
    expect(await spendable("ctl-3")).toBe(THRESHOLD);
  });
});

describe("an approval the balance refuses", () => {
  it("gives the request back to pending, unapplied, for a later approval", async () => {
    await t.enrol("ctl-8");
    const kim = await marketerToken("kim");
    expect((await adjust(kim, "ctl-8", "ctl-8-credit-01", 400)).status).toBe(201);
    const debit = await adjust(kim, "ctl-8", "ctl-8-debit-01", -600);
    expect(debit.status).toBe(202);
    const refused = await decide(bob, debit.body.adjustmentId, "approve");
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe("urn:patron:problem:insufficient-points");
    const view = await t.call("GET", `/adjustments/${debit.body.adjustmentId}`, { token: bob });
    expect(view.body.status).toBe("pending");
    expect(view.body.decidedBy).toBeUndefined();
    const listed = await t.call("GET", "/adjustments", { token: bob });
    expect(listed.body.adjustments.map((a: { adjustmentId: string }) => a.adjustmentId)).toContain(
      debit.body.adjustmentId,
    );
    expect(await spendable("ctl-8")).toBe(400);
    expect((await adjust(kim, "ctl-8", "ctl-8-credit-02", 300)).status).toBe(201);
    expect((await decide(bob, debit.body.adjustmentId, "approve")).body.status).toBe("applied");
    expect(await spendable("ctl-8")).toBe(100);
  });
});

describe("daily limit", () => {
  it("holds under concurrent requests: what was applied never exceeds the limit", async () => {
    await t.enrol("ctl-4");
    const dave = await marketerToken("dave");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, n) => adjust(dave, "ctl-4", burstKey(n), 300)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(Math.floor(DAILY_LIMIT / 300));
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - Math.floor(DAILY_LIMIT / 300));
    const refused = results.find((r) => r.status === 429);
    expect(refused?.headers.get("content-type")).toContain("application/problem+json");
    expect(refused?.body.type).toBe("urn:patron:problem:daily-adjustment-limit");
    expect(refused?.body.detail).toContain("dailyLimitPerMarketer");
    expect(refused?.body.detail).toContain(String(DAILY_LIMIT));
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await spendable("ctl-4")).toBe(Math.floor(DAILY_LIMIT / 300) * 300);
    // A retry of an applied request is not charged again; another marketer's budget is their own.
    const index = results.findIndex((r) => r.status === 201);
    const retry = await adjust(dave, "ctl-4", burstKey(index), 300);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(results[index]?.body);
    expect((await adjust(bob, "ctl-4", "ctl-4-bob-0001", 300)).status).toBe(201);
  });

  it("does not count a request the member's balance refuses", async () => {
    await t.enrol("ctl-5");
    const erin = await marketerToken("erin");
    const refused = await adjust(erin, "ctl-5", "ctl-5-debit-01", -400);
    expect(refused.status).toBe(409);
    for (let n = 0; n < 4; n += 1)
      expect((await adjust(erin, "ctl-5", `ctl-5-credit-${n}`, 500)).status).toBe(201);
    expect(await spendable("ctl-5")).toBe(DAILY_LIMIT);
  });
});

describe("audit trail", () => {
  it("lists the PII read and the approval (never the PII), newest first, to auditors only", async () => {
    await t.enrol("ctl-6");
    const gina = await marketerToken("gina");
    await t.api.deps.members.mergeProfile("ctl-6", {
      fields: { email: "ctl.six@example.com" },
      changedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const read = await t.call("GET", "/members/ctl-6", {
      token: gina,
      headers: { "user-agent": "controls-test/1.0" },
    });
    expect(read.body.profile.email).toBe("ctl.six@example.com");
    const searched = await t.call("GET", `/members?email=${encodeURIComponent("ctl.six@example.com")}`, {
      token: gina,
    });
    expect(searched.body.members).toEqual([{ memberId: "ctl-6" }]);
    const { body } = await adjust(gina, "ctl-6", "ctl-6-large-01", 700);
    expect((await decide(gina, body.adjustmentId, "approve")).status).toBe(403);
    expect((await decide(bob, body.adjustmentId, "approve")).status).toBe(200);

    const trail = await t.call("GET", "/audit?memberId=ctl-6", { token: carol });
    expect(trail.status).toBe(200);
    const entries = trail.body.entries as Record<string, unknown>[];
    const summary = entries.map((e) => [e.action, (e.actor as { name: string }).name, e.outcome]);
    expect(summary).toEqual([
      ["adjustment.approve", "bob", "applied"],
      ["adjustment.approve", "gina", "self-approval"],
      ["adjustment.request", "gina", "pending"],
      ["member.search", "gina", "ok"],
      ["member.read", "gina", "ok"],
    ]);
    const pii = entries.find((e) => e.action === "member.read");
    expect(pii).toMatchObject({
      route: "GET /members/{id}",
      memberId: "ctl-6",
      userAgent: "controls-test/1.0",
    });
    expect(String(pii?.sourceIp)).not.toBe("");
    expect(JSON.stringify(entries)).not.toContain("ctl.six@example.com");

    const refused = await t.call("GET", "/audit?memberId=ctl-6", { token: gina });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
  });

  it("pages through the whole day's trail with a cursor", async () => {
    const first = await t.call("GET", "/audit?limit=2", { token: carol });
    expect(first.body.entries).toHaveLength(2);
    const second = await t.call("GET", `/audit?limit=2&cursor=${encodeURIComponent(first.body.next)}`, {
      token: carol,
    });
    expect(second.status).toBe(200);
    const [a, b] = [first.body.entries, second.body.entries].map((page) =>
      page.map((e: { requestId: string; at: string }) => `${e.at}#${e.requestId}`),
    );
    expect(a.filter((id: string) => b.includes(id))).toEqual([]);
    expect([...a, ...b]).toEqual([...a, ...b].sort().reverse());
    const tampered = await t.call(
      "GET",
      `/audit?limit=2&cursor=${encodeURIComponent(`${first.body.next}x`)}`,
      {
        token: carol,
      },
    );
    expect(tampered.status).toBe(400);
  });

  it("answers a page of more than 100 entries about one member (more than one BatchGetItem)", async () => {
    await t.enrol("ctl-7");
    for (let n = 0; n < 120; n += 1)
      expect((await t.call("GET", "/members/ctl-7", { token: bob })).status).toBe(200);
    const page = await t.call("GET", "/audit?memberId=ctl-7&limit=150", { token: carol });
    expect(page.status).toBe(200);
    expect(page.body.entries).toHaveLength(120);
    expect(new Set(page.body.entries.map((e: { requestId: string }) => e.requestId)).size).toBe(120);
    expect(page.body.next).toBeUndefined();
  });

  it("is open to an auditor signed in on the local token path, as the console signs in locally", async () => {
    const issuer = createLocalTokenIssuer({ ...t.api.table, now: () => new Date() });
    const token = async (request: { marketer: string; groups?: ["auditor"] }) => {
      const issued = await issuer.issue(request);
      if ("error" in issued) throw new Error(issued.error);
      return issued.accessToken;
    };
    const auditor = await token({ marketer: "henry", groups: ["auditor"] });
    expect((await t.call("GET", "/audit?memberId=ctl-6", { token: auditor })).status).toBe(200);
    const plain = await token({ marketer: "ivan" });
    expect((await t.call("GET", "/audit?memberId=ctl-6", { token: plain })).status).toBe(403);
    expect(await issuer.issue({ marketer: "mallory", groups: ["admin"] })).toHaveProperty("error");
  });
});
