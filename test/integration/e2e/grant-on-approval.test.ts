import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberState } from "../../../domain";
import { spendableBalance } from "../../../domain/ledger/lots";
import { DEFAULT_APPROVAL_THRESHOLD } from "../../../domain/program/controls-schema";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { type Platform, startPlatform } from "../../../scripts/local/platform";

// Issue #17: a bulk grant runs when it is approved — stored as approved under the threshold, or approved by a
// second marketer above it — on `npm start`'s platform as in AWS (there a Pipe from the table stream starts the
// state machine; here the platform reads the same stream with the same pattern). Nobody runs `npm run grant`.

const MEMBERS = ["grant-a", "grant-b", "grant-c"];
let platform: Platform;
let events: EventBridgeClient;

const call = async (path: string, marketer: string, init: RequestInit = {}) => {
  const response = await fetch(`${platform.urls.api}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${await signLocalToken({ marketer })}`,
      "content-type": "application/json",
      ...init.headers,
    },
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected loosely in tests
  return { status: response.status, body: (await response.json()) as any };
};

const requestGrant = (key: string, points: number) =>
  call("/grants", "ada", {
    method: "POST",
    headers: { "idempotency-key": key },
    body: JSON.stringify({ points, reason: "Thank you for the spring", audience: { memberIds: MEMBERS } }),
  });

/** Each member's spendable points as stored (0 for one not stored). */
const spendable = async () => {
  const members = createMemberRepository({ client: platform.client, tableName: platform.tableName });
  const stored = await members.getMembers<MemberState & Record<string, unknown>>(MEMBERS);
  return MEMBERS.map((id) => {
    const member = stored.get(id);
    return member ? spendableBalance(member.state) : 0;
  });
};

beforeAll(async () => {
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    handlerLogLevel: "SILENT",
    bus: { baseDelayMs: 50 },
    outboxPollIntervalMs: 50,
    jobs: [],
  });
  events = new EventBridgeClient({
    endpoint: platform.urls.bus,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const at = new Date(Date.now() - 60_000).toISOString();
  const result = await events.send(
    new PutEventsCommand({
      Entries: MEMBERS.map((memberId) => ({
        Source: "retail.web.shop",
        DetailType: "Member Enrolled",
        Detail: JSON.stringify({
          schemaVersion: "1",
          memberId,
          occurredAt: at,
          email: `${memberId}@example.com`,
          locale: "en-IE",
          timeZone: "Europe/Dublin",
          consent: { email: true, sms: false, push: false },
        }),
      })),
    }),
  );
  expect(result.FailedEntryCount).toBe(0);
  await platform.settle();
}, 120_000);

afterAll(async () => {
  events?.destroy();
  await platform?.stop();
});

describe("bulk grants start on approval", () => {
  it("runs a grant stored as approved (under the threshold) to done, each member credited once", async () => {
    expect(await spendable()).toEqual([0, 0, 0]);
    const created = await requestGrant("spring-small", 100);
    expect(created).toMatchObject({ status: 202, body: { status: "approved" } });
    await platform.settle();
    const view = await call(`/grants/${created.body.grantId}`, "ada");
    expect(view.body).toMatchObject({ status: "done", progress: expect.objectContaining({ granted: 3 }) });
    expect(await spendable()).toEqual([100, 100, 100]);
  });

  it("leaves a grant over the threshold pending, and runs it once a second marketer approves it", async () => {
    const points = Math.ceil(DEFAULT_APPROVAL_THRESHOLD / MEMBERS.length) + 1;
    const created = await requestGrant("spring-large", points);
    expect(created).toMatchObject({ status: 202, body: { status: "pending-approval" } });
    await platform.settle();
    expect(await spendable()).toEqual([100, 100, 100]);
    const approved = await call(`/grants/${created.body.grantId}/approve`, "bob", { method: "POST" });
    expect(approved.status).toBe(200);
    await platform.settle();
    expect((await call(`/grants/${created.body.grantId}`, "ada")).body.status).toBe("done");
    expect(await spendable()).toEqual(MEMBERS.map(() => 100 + points));
  });
});
