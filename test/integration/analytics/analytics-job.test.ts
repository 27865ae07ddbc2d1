import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { MemberState } from "../../../domain/member/member-state";
import { memberPk, STATE_SK } from "../../../functions/adapters/dynamo/keys";
import {
  createMemberRepository,
  type MemberRepository,
} from "../../../functions/adapters/dynamo/member-repository";
import { withOptimisticRetry } from "../../../functions/adapters/dynamo/optimistic-retry";
import { decodeState, STATE_ATTRIBUTE, stateAttribute } from "../../../functions/adapters/dynamo/state-codec";
import { type AnalyticsStore, createAnalyticsStore } from "../../../functions/analytics/analytics-store";
import { runAnalyticsJob } from "../../../functions/analytics/run-analytics-job";
import { createLogger } from "../../../functions/shared/logger";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";
import { earnEntry } from "../support/members";
import { SYNTHETIC_PARAMS, seedMembers, syntheticMembers } from "./synthetic-members";

// The nightly job against DynamoDB Local: 400 members drawn from the models the job fits.

const RUN = new Date("2025-06-01T01:00:00.000Z");
const COUNT = 400;
const logger = createLogger({ logLevel: "SILENT" });

let table: TestTable;
let client: DynamoDBClient;
let members: MemberRepository;
let store: AnalyticsStore;
let seeded: ReturnType<typeof syntheticMembers>;

const job = (at: Date = RUN, jobStore: AnalyticsStore = store) =>
  runAnalyticsJob({ store: jobStore, logger, options: { scanSegments: 3 } }, at);
const stateOf = async (memberId: string) => {
  const snapshot = await members.getMember<MemberState & Record<string, unknown>>(memberId);
  if (!snapshot) throw new Error(`member ${memberId} is missing`);
  return snapshot;
};

/** Removes a member's scores (the state rewritten, version untouched) so the next run must write them. */
async function forgetScores(memberId: string): Promise<void> {
  const Key = { PK: { S: memberPk(memberId) }, SK: { S: STATE_SK } };
  const { Item } = await client.send(
    new GetItemCommand({ TableName: table.tableName, Key, ConsistentRead: true }),
  );
  const { scores: _scores, ...state } = decodeState<MemberState>(Item?.[STATE_ATTRIBUTE]);
  await client.send(
    new UpdateItemCommand({
      TableName: table.tableName,
      Key,
      UpdateExpression: "SET #st = :state",
      ExpressionAttributeNames: { "#st": STATE_ATTRIBUTE },
      ExpressionAttributeValues: { ":state": stateAttribute(state) },
    }),
  );
}

/** Read–compute–commit of one event for a member, as the pipeline does, retried on conflicts. */
function commitEvent(memberId: string, key: string, change: (state: MemberState) => MemberState) {
  return withOptimisticRetry(async () => {
    const previous = await stateOf(memberId);
    return members.commit({
      memberId,
      previous,
      nextState: change(previous.state) as MemberState & Record<string, unknown>,
      entries: [earnEntry(memberId, key, 10, RUN.toISOString())],
      sourceKey: key,
      payload: "same",
    });
  });
}

const earnTen = (state: MemberState): MemberState => ({
  ...state,
  lifetime: { ...state.lifetime, pointsEarned: state.lifetime.pointsEarned + 10 },
});
const buyToday = (state: MemberState): MemberState => ({
  ...state,
  lifetime: {
    ...state.lifetime,
    purchases: state.lifetime.purchases + 1,
    spendMinor: state.lifetime.spendMinor + 5000,
    lastPurchaseAt: RUN.toISOString(),
  },
});

/** A client whose first UpdateItem on `memberId`'s STATE runs `before` first: a commit racing the job. */
function racingClient(memberId: string, before: () => Promise<unknown>): DynamoDBClient {
  const racing = dynamoClient(inject("dynamoEndpoint"), 3);
  let fired = false;
  racing.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: { PK?: { S?: string } } };
      if (!fired && context.commandName === "UpdateItemCommand" && input.Key?.PK?.S === memberPk(memberId)) {
        fired = true;
        await before();
      }
      return next(args);
    },
    { step: "initialize", name: "raceCommit" },
  );
  return racing;
}

beforeAll(async () => {
  const endpoint = inject("dynamoEndpoint");
  table = await createTestTable(endpoint);
  client = dynamoClient(endpoint, 3);
  members = createMemberRepository({ client, tableName: table.tableName });
  store = createAnalyticsStore({ client, tableName: table.tableName });
  seeded = syntheticMembers({ count: COUNT, seed: 7, asOf: RUN, withoutPurchases: 0.1 });
  await seedMembers(client, table.tableName, seeded, { profileEvery: 4 });
});

afterAll(async () => {
  client.destroy();
  await table.drop();
});

describe("nightly analytics job", () => {
  it("scores every customer, leaves members without purchases alone and stores the run", async () => {
    const report = await job();
    const customers = seeded.filter((m) => m.state.lifetime.purchases > 0);
    expect(report).toMatchObject({
      status: "scored",
      members: COUNT,
      customers: customers.length,
      fitCustomers: customers.length,
      written: customers.length,
      unchanged: 0,
      skipped: 0,
      writesByReason: { new: customers.length },
    });
    // Profiles are read (and billed) by the Scan, then filtered out.
    expect(report.itemsRead).toBe(COUNT + COUNT / 4);

    const buyer = await stateOf(customers[0]?.memberId ?? "");
    expect(buyer.version).toBe(2);
    const scores = buyer.state.scores;
    expect(scores).toMatchObject({
      scoredOn: "2025-06-01",
      modelVersion: "bgnbd-gg.v1.h52w.d0.1.m1@2025-06-01",
    });
    expect(scores?.probabilityAlive).toBeGreaterThan(0);
    expect(scores?.probabilityAlive).toBeLessThanOrEqual(1);
    expect(Number.isInteger(scores?.clvMinor)).toBe(true);
    expect(Number.isInteger(scores?.expectedOrderValueMinor)).toBe(true);
    const never = seeded.find((m) => m.state.lifetime.purchases === 0);
    expect((await stateOf(never?.memberId ?? "")).state.scores).toBeUndefined();

    const latest = await store.getLatest();
    expect(latest?.members).toEqual({
      total: COUNT,
      customers: customers.length,
      withoutPurchases: COUNT - customers.length,
    });
    expect(latest?.rfm.grid).toHaveLength(25);
    expect(latest?.rfm.grid.reduce((sum, cell) => sum + cell.members, 0)).toBe(customers.length);
    expect(latest?.rfm.segments.reduce((sum, s) => sum + s.members, 0)).toBe(customers.length);
    expect(latest?.concentration.clv.members).toBe(customers.length);
    expect(latest?.concentration.spend.totalMinor).toBe(
      customers.reduce((s, m) => s + m.state.lifetime.spendMinor, 0),
    );
    // The members were drawn from known models: the fit recovers the mean purchase rate r/α, the mean
    // dropout probability a/(a+b) and the mean order value pγ/(q−1) to within sampling error.
    const { r, alpha, a, b, p, q, gamma } = SYNTHETIC_PARAMS;
    const fit = latest?.fit;
    expect((fit?.bgNbd.r ?? 0) / (fit?.bgNbd.alpha ?? 1)).toBeCloseTo(r / alpha, 1);
    expect((fit?.bgNbd.a ?? 0) / ((fit?.bgNbd.a ?? 0) + (fit?.bgNbd.b ?? 0))).toBeCloseTo(a / (a + b), 1);
    const meanOrder =
      ((fit?.gammaGamma.p ?? 0) * (fit?.gammaGamma.gamma ?? 0)) / ((fit?.gammaGamma.q ?? 2) - 1);
    expect(Math.abs(meanOrder / ((p * gamma) / (q - 1)) - 1)).toBeLessThan(0.15);
  });

  it("writes nothing when run again on unchanged members", async () => {
    const report = await job();
    expect(report).toMatchObject({ status: "scored", written: 0, conflicts: 0, skipped: 0 });
    expect(report.unchanged).toBe(report.customers);
    expect((await store.getLatest())?.writes).toEqual({
      written: 0,
      unchanged: report.customers,
      skipped: 0,
    });
  });

  it("rewrites a member whose purchase moves their scores", async () => {
    let target: { memberId: string; before: NonNullable<MemberState["scores"]> } | undefined;
    for (const { memberId } of seeded) {
      const scores = (await stateOf(memberId)).state.scores;
      if (scores && scores.probabilityAlive < 0.8) {
        target = { memberId, before: scores };
        break;
      }
    }
    if (!target) throw new Error("the seeded base has no member with P(alive) < 0.8");
    await commitEvent(target.memberId, "retail.pos.s1#late-buyer", buyToday);
    const report = await job();
    expect(report.written).toBeGreaterThanOrEqual(1);
    const after = (await stateOf(target.memberId)).state.scores;
    // Bought on the run day: t_x = T, so P(alive) is as high as their purchase count allows.
    expect(after?.probabilityAlive).toBeGreaterThan(target.before.probabilityAlive + 0.05);
  });

  it("retries its write when an event that leaves the model inputs alone commits during the run", async () => {
    const memberId = seeded[10]?.memberId ?? "";
    await forgetScores(memberId);
    const before = await stateOf(memberId);
    const racing = racingClient(memberId, () => commitEvent(memberId, "web.app#like-1", earnTen));
    const report = await job(RUN, createAnalyticsStore({ client: racing, tableName: table.tableName }));
    racing.destroy();
    expect(report).toMatchObject({ written: 1, conflicts: 1, skipped: 0 });
    const after = await stateOf(memberId);
    expect(after.version).toBe(before.version + 2);
    expect(after.state.lifetime.pointsEarned).toBe(before.state.lifetime.pointsEarned + 10);
    expect(after.state.scores?.scoredOn).toBe("2025-06-01");
  });

  it("skips a member who buys during the run and keeps the purchase", async () => {
    const memberId = seeded[20]?.memberId ?? "";
    await forgetScores(memberId);
    const before = await stateOf(memberId);
    const racing = racingClient(memberId, () => commitEvent(memberId, "retail.pos.s1#during-job", buyToday));
    const report = await job(RUN, createAnalyticsStore({ client: racing, tableName: table.tableName }));
    racing.destroy();
    expect(report).toMatchObject({ written: 0, conflicts: 1, skipped: 1 });
    const after = await stateOf(memberId);
    expect(after.version).toBe(before.version + 1);
    expect(after.state.lifetime.purchases).toBe(before.state.lifetime.purchases + 1);
    expect(after.state.scores).toBeUndefined();
    // Next run it is scored, with its purchase (which may also move a few other members across a quintile).
    expect((await job()).writesByReason).toMatchObject({ new: 1 });
  });

  it("makes an event computed before the scores landed retry, so neither the event nor the scores are lost", async () => {
    const memberId = seeded[30]?.memberId ?? "";
    await forgetScores(memberId);
    const stale = await stateOf(memberId);
    expect((await job()).written).toBe(1);
    const lost = await members.commit({
      memberId,
      previous: stale,
      nextState: earnTen(stale.state) as MemberState & Record<string, unknown>,
      entries: [earnEntry(memberId, "web.app#like-2", 10, RUN.toISOString())],
      sourceKey: "web.app#like-2",
      payload: "same",
    });
    expect(lost).toEqual({ outcome: "conflict" });
    expect((await commitEvent(memberId, "web.app#like-2", earnTen)).outcome).toBe("committed");
    const after = await stateOf(memberId);
    expect(after.state.lifetime.pointsEarned).toBe(stale.state.lifetime.pointsEarned + 10);
    expect(after.state.scores?.scoredOn).toBe("2025-06-01");
  });

  it("keeps the last scores and says why when the data cannot identify the models", async () => {
    const thin = await createTestTable(inject("dynamoEndpoint"));
    try {
      // 150 one-time buyers: no repeat purchases, so neither model can be fitted.
      const oneTimers = syntheticMembers({ count: 150, seed: 5, asOf: RUN }).map(({ memberId, state }) => {
        state.lifetime = {
          ...state.lifetime,
          purchases: 1,
          spendMinor: 2500,
          firstPurchaseAt: "2025-03-01T12:00:00.000Z",
          lastPurchaseAt: "2025-03-01T12:00:00.000Z",
        };
        state.retention = {
          ...state.retention,
          rhythm: { purchaseDays: 1, firstDay: "2025-03-01", lastDay: "2025-03-01" },
        };
        return { memberId, state };
      });
      await seedMembers(client, thin.tableName, oneTimers);
      const store = createAnalyticsStore({ client, tableName: thin.tableName });
      const report = await runAnalyticsJob({ store, logger }, RUN);
      expect(report).toMatchObject({ status: "skipped", written: 0 });
      expect(report.reason).toMatch(/cannot score|repeat/);
      expect(await store.getLatest()).toBeUndefined();
    } finally {
      await thin.drop();
    }
  });

  it("skips fitting while there are too few customers", async () => {
    const small = await createTestTable(inject("dynamoEndpoint"));
    try {
      await seedMembers(client, small.tableName, syntheticMembers({ count: 20, seed: 3, asOf: RUN }));
      const report = await runAnalyticsJob(
        { store: createAnalyticsStore({ client, tableName: small.tableName }), logger },
        RUN,
      );
      expect(report).toMatchObject({ status: "skipped", members: 20, written: 0 });
      expect(report.reason).toContain("at least 100");
      expect(await createAnalyticsStore({ client, tableName: small.tableName }).getLatest()).toBeUndefined();
    } finally {
      await small.drop();
    }
  });
});
