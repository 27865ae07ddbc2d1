import { type IncomingMessage, request, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_APPROVAL_THRESHOLD } from "../../../domain/program/controls-schema";
import { exampleProgram } from "../../../domain/program/example-program";
import { createImportJobStore } from "../../../functions/adapters/dynamo/import-job-store";
import { createAnalyticsStore } from "../../../functions/analytics/analytics-store";
import { runAnalyticsJob } from "../../../functions/analytics/run-analytics-job";
import { signUnsubscribeToken } from "../../../functions/http/signed-token";
import { createLogger } from "../../../functions/shared/logger";
import { realClock } from "../../../scripts/local/clock";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { type Check, createLocalRoutes } from "../../../scripts/local/local-routes";
import { seedMembers, syntheticMembers } from "../analytics/synthetic-members";
import { type Answer, loadApiDocument, mismatches, type Operation, parseBody } from "./conformance-document";
import { type Probe, type ProbeContext, probesFor } from "./conformance-probes";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// Drives every operation of docs/openapi.json through the local API (the real handler behind the local API
// Gateway, which answers 401 and 413 itself like the deployed one) with generated valid and invalid requests,
// and checks every answer against the document: status, media type and body. A valid request must not be
// refused as invalid, an invalid one must be refused with 400, and nothing may answer 5xx.

// Where a schema cannot state a check, the document says it in words: an operation's `x-patron-rules` (the
// program's cross-field rules) and signed values (a page's cursor, an unsubscribe link's token). A request
// valid by the schemas may be refused there, and only there.
const OPAQUE_FIELDS = new Set(["query.cursor", "query.token"]);
const REFUSED_AS_INVALID = new Set([
  "urn:patron:problem:validation-error",
  "urn:patron:problem:malformed-body",
]);

const MEMBER = "m-conformance";
const IMPORT_ID = "conformance-import";
/** Identity links: a member the probes link with a code, and one linked already for the revocation. */
const LINKABLE = "m-conformance-linkable";
const REVOCABLE = "m-conformance-revocable";
/** Erased by the erasure probes (the others keep their member's profile). */
const ERASABLE = "m-conformance-erasable";
/** Merged into MERGE_SURVIVOR by the merge operation's valid request. */
const MERGE_SURVIVOR = "m-conformance-survivor";
const MERGEABLE = "m-conformance-duplicate";
let linkCode = "";
const seed = Number(process.env.CONFORMANCE_SEED ?? Date.now() % 2_147_483_647);
const { operations, resolve } = loadApiDocument();

let t: TestApi;
let local: TestApi;
const pendingAdjustments: string[] = [];
const pendingGrants: string[] = [];
const grantBody = { points: 2_000, reason: "conformance grant", audience: { tier: "silver" } };
let localChecks: Record<string, Check> = {};
beforeAll(async () => {
  t = await startTestApi();
  await t.enrol(MEMBER, LINKABLE, REVOCABLE, ERASABLE, MERGE_SURVIVOR, MERGEABLE);
  await t.api.deps.identityLinks.link({
    link: {
      sub: "conformance-linked-user",
      memberId: REVOCABLE,
      method: "link-code",
      linkedAt: new Date().toISOString(),
      linkedBy: "conformance",
    },
  });
  const issued = await t.call("POST", `/members/${LINKABLE}/link-codes`, {
    token: await marketerToken("conformance"),
  });
  expect(issued.status).toBe(201);
  linkCode = issued.body.code;
  // Enough points for a reward, so a redemption can succeed.
  const adjustment = { points: 1000, reason: "conformance balance" };
  const headers = { "idempotency-key": "conformance-balance" };
  const credited = await t.call("POST", `/members/${MEMBER}/adjustments`, {
    token: await marketerToken("conformance"),
    body: adjustment,
    headers,
  });
  expect(credited.status).toBe(201);
  // Two adjustments over the approval threshold by another marketer: one to approve, one to reject.
  const requester = await marketerToken("conformance-requester");
  for (const key of ["conformance-approvable", "conformance-rejectable"]) {
    const pending = await t.call("POST", `/members/${MEMBER}/adjustments`, {
      token: requester,
      body: { points: DEFAULT_APPROVAL_THRESHOLD + 1, reason: "conformance approval" },
      headers: { "idempotency-key": key },
    });
    expect(pending.status).toBe(202);
    pendingAdjustments.push(pending.body.adjustmentId);
  }
  // Two grants over the approval threshold (2,000 points × the silver members): one to approve, one to reject.
  for (const key of ["conformance-grant-approvable", "conformance-grant-rejectable"]) {
    const pending = await t.call("POST", "/grants", {
      token: requester,
      body: grantBody,
      headers: { "idempotency-key": key },
    });
    expect(pending.status).toBe(202);
    pendingGrants.push(pending.body.grantId);
  }
  // A finished migration import with a report, so GET /imports/{id} has one to answer.
  const { client, tableName } = t.api.table;
  const now = new Date().toISOString();
  await createImportJobStore({ client, tableName }).begin({
    importId: IMPORT_ID,
    status: "failed",
    attempt: 1,
    mode: "all-or-nothing",
    format: "csv",
    bucket: "patron-imports",
    key: `uploads/all-or-nothing/${IMPORT_ID}.csv`,
    importedAt: now,
    receivedAt: now,
    finishedAt: now,
    error: "1 rows have problems: nothing was written",
    report: {
      rows: 2,
      imported: 0,
      alreadyImported: 0,
      rejected: 1,
      problemCount: 1,
      problems: [{ row: 3, field: "email", reason: "must be an e-mail address" }],
    },
    manifest: "s3://patron-imports/results/run/manifest.json",
  });
  // An analytics run, so GET /segments has a report to answer with.
  await seedMembers(
    client,
    tableName,
    syntheticMembers({ count: 120, seed: 7, asOf: new Date(), idPrefix: "conf" }),
  );
  const store = createAnalyticsStore({ client, tableName });
  await runAnalyticsJob({ store, logger: createLogger({ logLevel: "SILENT" }) }, new Date());
  // The local platform answers GET /health itself, ahead of the API (scripts/local/local-routes.ts).
  let routes: ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | undefined;
  local = await startTestApi({ intercept: (req, res) => routes?.(req, res) ?? Promise.resolve(false) });
  routes = createLocalRoutes({
    client: local.api.table.client,
    tableName: local.api.table.tableName,
    programs: local.api.deps.programs,
    clock: realClock,
    jobs: { names: () => [], run: async () => undefined, catchUp: async () => [] },
    checks: { part: () => localChecks.part?.() ?? Promise.resolve({ ok: true }) },
  });
});
afterAll(async () => {
  await t?.stop();
  await local?.stop();
});

function send(api: TestApi, probe: Probe): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    // An explicit length: node sends a GET's body neither chunked nor with one otherwise.
    const length =
      probe.body === undefined ? {} : { "content-length": String(Buffer.byteLength(probe.body)) };
    const headers = { ...probe.headers, ...length };
    const req = request(`${api.url}${probe.url}`, { method: probe.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolveAnswer({
          status: res.statusCode ?? 0,
          contentType: res.headers["content-type"] ?? "",
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(probe.body);
  });
}

/** Why `answer` breaks the probe's expectation, if it does. */
function unexpected(operation: Operation, probe: Probe, answer: Answer): string | undefined {
  // 503 is a designed answer (busy, or a failing health check); any other 5xx is a fault.
  if (answer.status >= 500 && answer.status !== 503) return `answered ${answer.status}`;
  if (probe.expect.kind === "status")
    return answer.status === probe.expect.status
      ? undefined
      : `expected ${probe.expect.status}, got ${answer.status}`;
  if (answer.status !== 400 || operation.rules !== undefined) return undefined;
  const problem = parseBody(answer).value as { type?: string; errors?: { path: string }[] } | undefined;
  if (!REFUSED_AS_INVALID.has(problem?.type ?? "")) return undefined;
  const paths = (problem?.errors ?? []).map((e) => e.path);
  if (paths.length > 0 && paths.every((path) => OPAQUE_FIELDS.has(path))) return undefined;
  return `a request valid by the document was refused as invalid at ${paths.join(", ") || "(no field named)"}`;
}

async function scenario(api: TestApi): Promise<ProbeContext> {
  const member = await memberToken(MEMBER);
  // In the auditor group too, so the audit trail answers.
  const marketer = await signLocalToken({ marketer: "conformance", groups: ["auditor"] });
  const expired = await signLocalToken({ member: MEMBER }, { now: new Date(Date.now() - 7_200_000) });
  const [header, payload, signature] = member.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
  const link = { memberId: MEMBER, channel: "email", issuedAt: new Date().toISOString() };
  const token = signUnsubscribeToken(api.api.deps.signer, link);
  const rewardId = exampleProgram.rewards[0]?.rewardId ?? "";
  const [approvable = "", rejectable = ""] = pendingAdjustments;
  const [approvableGrant = "", rejectableGrant = ""] = pendingGrants;
  const next = { ...exampleProgram, version: 2, effectiveFrom: new Date(Date.now() + 600_000).toISOString() };
  return {
    resolve,
    tokens: { member, marketer, expired, tampered: `${header}.${forged}.${signature}` },
    // Signed-in users not linked yet: one links with the code, the other enrols.
    operationTokens: {
      linkMyIdentity: await signLocalToken({ user: "conformance-linker" }),
      enrolMe: await signLocalToken({ user: "conformance-newcomer" }),
    },
    params: {
      "/members/{id} id": MEMBER,
      "/members/{id}/adjustments id": MEMBER,
      "/members/{id}/link-codes id": MEMBER,
      "/members/{id}/identity id": REVOCABLE,
      "/members/{id}/export id": MEMBER,
      "/members/{id}/erasure id": ERASABLE,
      "/members/{id}/merge id": MERGE_SURVIVOR,
      "/adjustments/{id} id": approvable,
      "/adjustments/{id}/approve id": approvable,
      "/adjustments/{id}/reject id": rejectable,
      "/grants/{id} id": approvableGrant,
      "/grants/{id}/approve id": approvableGrant,
      "/grants/{id}/reject id": rejectableGrant,
      "/imports/{id} id": IMPORT_ID,
      "/imports/{id}/problems id": IMPORT_ID,
      "/rewards/{id} id": rewardId,
      "/me/challenges/{challengeId}/opt-in challengeId": "three-visits-30-days",
      "/partners/{id}/statement id": exampleProgram.partners[0]?.id ?? "",
      "/program/versions/{version} version": "1",
      "/unsubscribe token": token,
      "/resubscribe token": token,
    },
    bodies: {
      putProgram: [next],
      previewProgram: [{ program: next, days: 7, maxMembers: 10 }],
      previewEmail: [
        { trigger: "win-back", locale: "de-AT" },
        { trigger: "birthday", program: next },
      ],
      redeemReward: [{ rewardId }],
      // A generated body may name a random partner in fundedBy (422): one the program knows, and one without.
      putReward: [
        { name: "Free coffee", pointsCost: 160, available: true },
        { name: "Free coffee", pointsCost: 170, available: true, fundedBy: exampleProgram.partners[0]?.id },
      ],
      linkMyIdentity: [{ memberId: LINKABLE, code: linkCode }],
      enrolMe: [
        {
          email: "newcomer@example.com",
          locale: "en-GB",
          timeZone: "Europe/London",
          consent: { email: true, sms: false, push: false },
        },
      ],
      mergeMembers: [{ absorbedId: MERGEABLE, reason: "conformance duplicate" }],
      adjustPoints: [
        { points: 25, reason: "conformance credit" },
        { points: -5, reason: "conformance debit" },
      ],
      previewGrant: [grantBody, { ...grantBody, audience: { memberIds: [MEMBER] } }],
      requestGrant: [grantBody, { ...grantBody, audience: { stage: "new" } }],
      unsubscribe: [{ token }, { "List-Unsubscribe": "One-Click", token }],
      resubscribe: [{ token }],
    },
    seed,
    validRequests: 6,
  };
}

/** Sends every probe of `ops` to `api`; returns how many, what did not conform and each operation's statuses. */
async function drive(api: TestApi, ops: readonly Operation[], context: ProbeContext) {
  const found: string[] = [];
  const statuses = new Map<string, Set<number>>();
  let sent = 0;
  for (const operation of ops) {
    const seen = new Set<number>();
    statuses.set(operation.operationId, seen);
    for (const probe of probesFor(operation, context)) {
      const answer = await send(api, probe);
      sent += 1;
      seen.add(answer.status);
      const problems = [...mismatches(operation, answer, resolve)];
      const wrong = unexpected(operation, probe, answer);
      if (wrong) problems.push(wrong);
      for (const problem of problems)
        found.push(`${operation.method} ${operation.path} [${probe.label}]: ${problem}`);
    }
  }
  return { sent, found: [...new Set(found)], statuses };
}

describe(`the API answers as docs/openapi.json says (seed ${seed})`, () => {
  it("documents operations to drive", () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it("answers every generated request, valid or not, as the document describes", async () => {
    const { sent, found, statuses } = await drive(t, operations, await scenario(t));
    expect(sent).toBeGreaterThan(operations.length * 8);
    expect(found).toEqual([]);
    // The success answers were checked too: every operation answered 2xx at least once.
    const neverSucceeded = [...statuses].filter(([, seen]) => ![...seen].some((s) => s >= 200 && s < 300));
    expect(neverSucceeded.map(([id, seen]) => `${id}: ${[...seen].join(", ")}`)).toEqual([]);
  });

  it("answers GET /health on the local platform as documented, up and down", async () => {
    const health = operations.filter((o) => o.operationId === "getHealth");
    expect(health).toHaveLength(1);
    const context = await scenario(local);
    const up = await drive(local, health, context);
    localChecks = { part: async () => ({ ok: false, detail: "stopped" }) };
    const down = await drive(local, health, context);
    expect([...up.found, ...down.found]).toEqual([]);
    const answer = await send(local, {
      label: "down",
      expect: { kind: "accepted" },
      method: "GET",
      url: "/health",
      headers: {},
    });
    expect(answer.status).toBe(503);
  });
});
