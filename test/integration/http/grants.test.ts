import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { programSchema } from "../../../domain/program/program-schema";
import { runGrant } from "../../../functions/grants/run-grant";
import { createGrantRunnerHandler } from "../../../functions/handlers/grant-runner";
import { createLogger } from "../../../functions/shared/logger";
import { localLambdaContext } from "../../../scripts/local/consumers";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// The bulk grant routes: a preview counts the audience and prices it, a grant over the approval threshold
// (total points) waits for a second marketer, the run credits each member once, GET /grants/{id} shows the
// progress, bad requests name their field, and requests and decisions are in the audit trail.

const THRESHOLD = 500;
const program = programSchema.parse({
  ...exampleProgramInput,
  controls: { adjustments: { approvalThreshold: THRESHOLD, dailyLimitPerMarketer: 2_000 } },
});
const SILVER = ["gr-1", "gr-2", "gr-3", "gr-4", "gr-5", "gr-6"];

let t: TestApi;
let alice: string;
let bob: string;
beforeAll(async () => {
  t = await startTestApi({ program });
  alice = await marketerToken("alice");
  bob = await marketerToken("bob");
  await t.enrol(...SILVER);
});
afterAll(async () => {
  await t.stop();
});

const headers = (key?: string) => ({
  "user-agent": "grants-test/1.0",
  ...(key && { "idempotency-key": key }),
});
const run = (grantId: string) =>
  runGrant({ ...t.api.deps, ...t.api.table, clock: () => new Date() }, grantId, {
    scanPageSize: 3,
  });
const spendable = async (memberId: string) =>
  (await t.call("GET", "/me", { token: await memberToken(memberId) })).body.points.spendable as number;

describe("bulk grants over HTTP", () => {
  const body = {
    points: 100,
    reason: "Thanks for shopping with us this spring",
    audience: { tier: "silver" },
  };

  it("previews the count and liability, waits for a second marketer, then credits each member once", async () => {
    const preview = await t.call("POST", "/grants/preview", { token: alice, headers: headers(), body });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      members: SILVER.length,
      totalPoints: 100 * SILVER.length,
      costMinor: Math.round(100 * SILVER.length * program.retention.offers.pointCostMinor),
      currency: program.currency,
      needsApproval: true,
      approvalThreshold: THRESHOLD,
    });

    const requested = await t.call("POST", "/grants", {
      token: alice,
      headers: headers("grant-spring-01"),
      body,
    });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({
      status: "pending-approval",
      requestedBy: "alice",
      needsApproval: true,
    });
    const { grantId } = requested.body;
    await expect(run(grantId)).rejects.toThrow(/only an approved grant runs/);

    const own = await t.call("POST", `/grants/${grantId}/approve`, { token: alice, headers: headers() });
    expect(own.status).toBe(403);
    expect(own.body.type).toBe("urn:patron:problem:self-approval");
    const approved = await t.call("POST", `/grants/${grantId}/approve`, { token: bob, headers: headers() });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", decidedBy: "bob" });

    const report = await run(grantId);
    expect(report).toMatchObject({ status: "done", granted: SILVER.length, duplicates: 0, failed: 0 });
    const view = await t.call("GET", `/grants/${grantId}`, { token: bob });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      status: "done",
      audience: { tier: "silver" },
      preview: { members: SILVER.length },
      progress: { granted: SILVER.length, processed: SILVER.length, notEligible: 0, failed: 0 },
    });
    for (const id of SILVER) expect(await spendable(id)).toBe(100);
    const ledger = await t.call("GET", "/me/ledger", { token: await memberToken("gr-1") });
    expect(ledger.body.entries[0]).toMatchObject({
      kind: "grant",
      points: 100,
      reason: "Grant by alice (approved by bob): Thanks for shopping with us this spring",
      ruleIds: [`grant-${grantId}`],
    });

    // The same request again answers the same grant; the same key with another body is refused.
    const again = await t.call("POST", "/grants", {
      token: alice,
      headers: headers("grant-spring-01"),
      body,
    });
    expect(again.body).toMatchObject({ grantId, status: "done" });
    const reused = await t.call("POST", "/grants", {
      token: alice,
      headers: headers("grant-spring-01"),
      body: { ...body, points: 99 },
    });
    expect(reused.status).toBe(422);
    const late = await t.call("POST", `/grants/${grantId}/reject`, { token: bob, headers: headers() });
    expect(late.status).toBe(409);

    const auditor = await signLocalToken({ marketer: "carol", groups: ["auditor"] });
    const trail = await t.call("GET", "/audit", { token: auditor });
    const actions = trail.body.entries
      .filter((e: { grantId?: string }) => e.grantId === grantId)
      .map((e: { action: string; outcome?: string }) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "grant.request:pending-approval",
        "grant.approve:self-approval",
        "grant.approve:approved",
      ]),
    );
  });

  it("grants a small uploaded list at once, skipping ids of no member and counting repeats once (the state machine's steps)", async () => {
    const list = { ...body, audience: { memberIds: ["gr-1", "gr-2", "gr-1", "nobody-here"] } };
    const requested = await t.call("POST", "/grants", {
      token: alice,
      headers: headers("grant-list-01"),
      body: list,
    });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({
      status: "approved",
      needsApproval: false,
      audience: { listedMembers: 3 },
      preview: { members: 2, totalPoints: 200 },
    });
    // As the state machine runs it: start, each part one page per invocation until done, finish.
    const grantId = requested.body.grantId as string;
    const deps = { ...t.api.deps, ...t.api.table, clock: () => new Date() };
    const step = createGrantRunnerHandler(
      { ...deps, logger: createLogger({ logLevel: "SILENT" }) },
      { pagesPerInvocation: 1 },
    );
    const invoke = (event: unknown) => step(event, localLambdaContext("grant-runner-test", "request-1"));
    const started = (await invoke({ action: "start", grantId })) as {
      parts: { grantId: string; part: number }[];
    };
    expect(started.parts).toEqual([{ grantId, part: 0 }]);
    for (const item of started.parts) {
      let invocations = 0;
      for (let done = false; !done; invocations += 1)
        ({ done } = (await invoke({ action: "part", ...item })) as { done: boolean });
      expect(invocations).toBe(1);
    }
    const report = await invoke({ action: "finish", grantId });
    expect(report).toMatchObject({ status: "done", granted: 2, notFound: 1, processed: 3 });
    await expect(invoke({ action: "part", grantId: "not-a-grant", part: 0 })).rejects.toThrow(/grantId/);
    expect(await spendable("gr-1")).toBe(200);
    expect(await spendable("gr-3")).toBe(100);
  });

  it("names the field of each bad request", async () => {
    const problem = async (grant: unknown) => {
      const answer = await t.call("POST", "/grants/preview", {
        token: alice,
        headers: headers(),
        body: grant,
      });
      expect(answer.status).toBe(400);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
      return answer.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await problem({ ...body, audience: { tier: "silver", stage: "active" } })).toEqual(["audience"]);
    expect(await problem({ ...body, audience: {} })).toEqual(["audience"]);
    expect(await problem({ ...body, audience: { tier: "diamond" } })).toEqual(["audience.tier"]);
    expect(await problem({ ...body, expiresOn: "2020-01-01" })).toEqual(["expiresOn"]);
    expect(await problem({ ...body, points: 0 })).toEqual(["points"]);
    expect(await problem({ ...body, audience: { stage: "sleeping" } })).toEqual(["audience.stage"]);
    const missing = await t.call("GET", "/grants/AAAAAAAAAAAAAAAAAAAAAA", { token: bob });
    expect(missing.status).toBe(404);
  });
});
