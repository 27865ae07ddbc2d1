import { GetItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { attachCapacityCounter } from "../../../functions/adapters/dynamo/capacity-counter";
import { ledgerSortKey, memberPk } from "../../../functions/adapters/dynamo/keys";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";
import { applyEarn, earnEntry, type TestState } from "../support/members";

const endpoint = inject("dynamoEndpoint");
const client = dynamoClient(endpoint);
const counter = attachCapacityCounter(client);
let table: TestTable;
let repository: ReturnType<typeof createMemberRepository>;

beforeAll(async () => {
  table = await createTestTable(endpoint);
  repository = createMemberRepository({ client, tableName: table.tableName });
});
afterAll(async () => {
  await table.drop();
  client.destroy();
});

const T0 = "2025-03-01T10:00:00.000Z";

async function ledgerOf(memberId: string) {
  const page = await repository.queryLedger(memberId, { limit: 100 });
  return page.records;
}

describe("commit", () => {
  it("creates a member with state, ledger entry and outbound events in one transaction", async () => {
    const result = await applyEarn(repository, "m-new", "pos#A1", 50, T0);
    expect(result).toEqual({ outcome: "committed", version: 1 });

    const snapshot = await repository.getMember<TestState>("m-new");
    expect(snapshot).toMatchObject({ state: { points: 50 }, version: 1 });
    expect(snapshot?.recentKeys).toHaveLength(1);

    const sk = ledgerSortKey(earnEntry("m-new", "pos#A1", 50, T0));
    expect(sk).toBe(`LEDGER#${T0}#earn:pos#A1`);
    expect((await repository.getLedgerEntry("m-new", sk))?.entry).toEqual(
      earnEntry("m-new", "pos#A1", 50, T0),
    );
    const raw = await client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { PK: { S: memberPk("m-new") }, SK: { S: sk } },
      }),
    );
    expect(unmarshall(raw.Item ?? {}).outbound).toEqual([
      { type: "PointsEarned", detail: { memberId: "m-new", points: 50 } },
    ]);
  });

  it("reports an identical redelivery computed from a stale snapshot as duplicate via the business key", async () => {
    const stale = await repository.getMember<TestState>("m-redeliver");
    await applyEarn(repository, "m-redeliver", "pos#B1", 30, T0);
    const result = await repository.commit({
      memberId: "m-redeliver",
      previous: stale,
      nextState: { points: 30 },
      entries: [earnEntry("m-redeliver", "pos#B1", 30, T0)],
      sourceKey: "pos#B1",
      payload: "same",
    });
    expect(result).toMatchObject({
      outcome: "duplicate",
      applied: { memberId: "m-redeliver", payload: "same" },
    });
    expect((await repository.getMember<TestState>("m-redeliver"))?.state.points).toBe(30);
    expect(await ledgerOf("m-redeliver")).toHaveLength(1);
  });

  it("detects a redelivery from the recent-keys ring without writing anything", async () => {
    await applyEarn(repository, "m-ring", "pos#C1", 10, T0);
    counter.reset();
    // Same business key, occurredAt changed by a misbehaving producer: the ledger key differs.
    const result = await applyEarn(repository, "m-ring", "pos#C1", 10, "2025-03-01T10:05:00.000Z");
    expect(result).toEqual({ outcome: "duplicate" });
    expect(counter.counters().TransactWriteItems).toBeUndefined();
    expect((await repository.getMember<TestState>("m-ring"))?.state.points).toBe(10);
  });

  it("still rejects an identical redelivery once its key has left the ring", async () => {
    const small = createMemberRepository({ client, tableName: table.tableName, recentKeyLimit: 2 });
    await applyEarn(small, "m-evicted", "pos#D0", 1, T0);
    for (const n of [1, 2, 3]) await applyEarn(small, "m-evicted", `pos#D${n}`, 1, T0);
    expect(await applyEarn(small, "m-evicted", "pos#D0", 1, T0)).toMatchObject({ outcome: "duplicate" });
    const snapshot = await small.getMember<TestState>("m-evicted");
    expect(snapshot).toMatchObject({ state: { points: 4 }, version: 4 });
    expect(snapshot?.recentKeys).toHaveLength(2);
  });

  it("applies a business key once across members and payloads, whatever occurredAt says", async () => {
    await applyEarn(repository, "m-key-1", "pos#K1", 5, T0);
    const other = await repository.commit({
      memberId: "m-key-2",
      previous: undefined,
      nextState: { points: 5 },
      entries: [earnEntry("m-key-2", "pos#K1", 5, "2025-03-02T10:00:00.000Z")],
      sourceKey: "pos#K1",
      payload: "same",
    });
    expect(other).toMatchObject({ outcome: "key-conflict", applied: { memberId: "m-key-1" } });
    expect(await repository.getMember("m-key-2")).toBeUndefined();
    const stale = await repository.getMember<TestState>("m-key-1");
    const changed = await repository.commit({
      memberId: "m-key-1",
      previous: stale,
      nextState: { points: 50 },
      entries: [earnEntry("m-key-1", "pos#K1", 45, "2025-03-03T10:00:00.000Z")],
      sourceKey: "pos#K1",
      payload: "other",
    });
    expect(changed).toMatchObject({ outcome: "key-conflict", applied: { payload: "same" } });
    expect(
      await repository.recordNoEffect({ memberId: "m-key-1", sourceKey: "pos#K1", payload: "same" }),
    ).toMatchObject({ outcome: "duplicate" });
    expect(
      await repository.recordNoEffect({ memberId: "m-key-1", sourceKey: "pos#K2", payload: "x" }),
    ).toEqual({
      outcome: "unchanged",
    });
    expect(await repository.getAppliedKey("pos#K2")).toMatchObject({ memberId: "m-key-1", payload: "x" });
    expect(await ledgerOf("m-key-1")).toHaveLength(1);
  });

  it("reports a stale version as conflict and writes nothing", async () => {
    await applyEarn(repository, "m-conflict", "pos#E1", 5, T0);
    const stale = await repository.getMember<TestState>("m-conflict");
    await applyEarn(repository, "m-conflict", "pos#E2", 5, T0);
    const result = await repository.commit({
      memberId: "m-conflict",
      previous: stale,
      nextState: { points: 999 },
      entries: [earnEntry("m-conflict", "pos#E3", 989, T0)],
      sourceKey: "pos#E3",
      payload: "same",
    });
    expect(result).toEqual({ outcome: "conflict" });
    expect(await repository.getMember<TestState>("m-conflict")).toMatchObject({
      state: { points: 10 },
      version: 2,
    });
    expect((await ledgerOf("m-conflict")).map((r) => r.entry)).not.toContainEqual(
      expect.objectContaining({ sourceKey: "pos#E3" }),
    );
  });

  it("writes none of a commit's entries when one of them already exists", async () => {
    await applyEarn(repository, "m-partial", "pos#F1", 7, T0);
    const previous = await repository.getMember<TestState>("m-partial");
    const result = await repository.commit({
      memberId: "m-partial",
      previous,
      nextState: { points: 100 },
      entries: [earnEntry("m-partial", "pos#F2", 93, T0), earnEntry("m-partial", "pos#F1", 7, T0)],
      sourceKey: "pos#F2",
      payload: "same",
    });
    expect(result).toEqual({ outcome: "duplicate" });
    expect(await repository.getMember<TestState>("m-partial")).toMatchObject({
      state: { points: 7 },
      version: 1,
    });
    expect(await ledgerOf("m-partial")).toHaveLength(1);
  });

  it("rejects bad input with a specific message and writes nothing", async () => {
    const base = {
      memberId: "m-bad",
      previous: undefined,
      nextState: { points: 1 },
      sourceKey: "pos#G1",
      payload: "same",
    };
    // STATE and the business-key record leave 98 of a transaction's 100 items for ledger entries and the
    // change's other writes (offer codes, their counters).
    const many = Array.from({ length: 99 }, (_, n) => earnEntry("m-bad", `pos#G1-${n}`, 1, T0));
    await expect(repository.commit({ ...base, entries: many })).rejects.toThrow(
      "entries, once keys and extra actions must be at most 98 items",
    );
    const extraActions = Array.from({ length: 3 }, (_, n) => ({
      ConditionCheck: {
        TableName: "any",
        Key: { PK: { S: `extra-${n}` }, SK: { S: "extra" } },
        ConditionExpression: "attribute_not_exists(PK)",
      },
    }));
    await expect(repository.commit({ ...base, entries: many.slice(0, 96), extraActions })).rejects.toThrow(
      "entries, once keys and extra actions must be at most 98 items",
    );
    await expect(repository.commit({ ...base, entries: [] })).rejects.toThrow(
      "entries must hold at least one",
    );
    await expect(
      repository.commit({ ...base, entries: [earnEntry("m-bad", "pos#G1", 1, "yesterday")] }),
    ).rejects.toThrow('occurredAt must be an ISO-8601 timestamp, got "yesterday"');
    await expect(
      repository.commit({ ...base, sourceKey: "", entries: [earnEntry("m-bad", "pos#G1", 1, T0)] }),
    ).rejects.toThrow("sourceKey must not be empty");
    expect(await repository.getMember("m-bad")).toBeUndefined();
  });
});

describe("ledger queries", () => {
  it("lists newest first across pages and normalises occurredAt to UTC", async () => {
    const times = ["2025-01-05T09:00:00+02:00", "2025-01-03T00:00:00Z", "2025-01-04T12:30:00.250Z"];
    for (const [n, time] of times.entries())
      await applyEarn(repository, "m-ledger", `pos#H${n}`, n + 1, time);

    const first = await repository.queryLedger("m-ledger", { limit: 2 });
    expect(first.records.map((r) => r.sk)).toEqual([
      "LEDGER#2025-01-05T07:00:00.000Z#earn:pos#H0",
      "LEDGER#2025-01-04T12:30:00.250Z#earn:pos#H2",
    ]);
    expect(first.cursor).toBe(first.records[1]?.sk);
    const second = await repository.queryLedger("m-ledger", { limit: 2, cursor: first.cursor });
    expect(second.records.map((r) => r.sk)).toEqual(["LEDGER#2025-01-03T00:00:00.000Z#earn:pos#H1"]);
    expect(second.cursor).toBeUndefined();
  });

  it("rejects cursors and keys outside the ledger and limits out of range", async () => {
    await expect(repository.queryLedger("m-ledger", { cursor: "PROFILE" })).rejects.toThrow(
      'ledger key must start with "LEDGER#", got "PROFILE"',
    );
    await expect(repository.getLedgerEntry("m-ledger", "STATE")).rejects.toThrow(
      "ledger key must start with",
    );
    await expect(repository.queryLedger("m-ledger", { limit: 0 })).rejects.toThrow(
      "limit must be an integer from 1 to 100",
    );
  });

  it("returns undefined for a ledger entry that does not exist", async () => {
    expect(
      await repository.getLedgerEntry("m-ledger", "LEDGER#2020-01-01T00:00:00.000Z#none"),
    ).toBeUndefined();
  });
});

describe("due index", () => {
  const fileUnder = async (memberId: string, dueOn: string, suffix: string) => {
    // Business keys are unique across members: scope this test's keys by member.
    const sourceKey = `${memberId}:${suffix}`;
    const previous = await repository.getMember<TestState>(memberId);
    const occurredAt = "2025-02-01T10:00:00.000Z";
    return repository.commit({
      memberId,
      previous,
      nextState: { points: 1, retention: { dueOn } },
      entries: [earnEntry(memberId, sourceKey, 1, occurredAt)],
      sourceKey,
      payload: "same",
    });
  };
  const dueOn = async (day: string) => {
    const ids: string[] = [];
    for await (const id of repository.membersDueOn(day)) ids.push(id);
    return ids.sort();
  };

  it("lists members by the day they are due and moves them when their due day changes", async () => {
    await fileUnder("m-due-1", "2025-02-10", "pos#D1");
    await fileUnder("m-due-2", "2025-02-10", "pos#D2");
    await fileUnder("m-due-3", "2025-02-11", "pos#D3");
    expect(await dueOn("2025-02-10")).toEqual(["m-due-1", "m-due-2"]);

    await fileUnder("m-due-2", "2025-03-01", "pos#D4");
    expect(await dueOn("2025-02-10")).toEqual(["m-due-1"]);
    expect(await dueOn("2025-03-01")).toEqual(["m-due-2"]);
    await expect(repository.membersDueOn("10/02/2025").next()).rejects.toThrow("day must be YYYY-MM-DD");
  });

  it("keeps a member without a due day out of the index", async () => {
    await applyEarn(repository, "m-undue", "pos#D5", 1, "2025-02-01T10:00:00.000Z");
    const ids = await Promise.all(["2025-02-01", "2025-02-02"].map(dueOn));
    expect(ids.flat()).not.toContain("m-undue");
  });

  it("reads many members in one batch and writes state without a ledger entry under the version", async () => {
    await fileUnder("m-batch-1", "2025-04-01", "pos#B1");
    await fileUnder("m-batch-2", "2025-04-01", "pos#B2");
    const found = await repository.getMembers<TestState>(["m-batch-1", "m-batch-2", "m-missing"]);
    expect([...found.keys()].sort()).toEqual(["m-batch-1", "m-batch-2"]);
    const previous = found.get("m-batch-1");
    if (!previous) throw new Error("m-batch-1 not found");
    const action = repository.statePutAction({
      memberId: "m-batch-1",
      previous,
      nextState: { points: 1, retention: { dueOn: "2025-04-02" } },
    });
    await client.send(new TransactWriteItemsCommand({ TransactItems: [action] }));
    expect(await dueOn("2025-04-02")).toEqual(["m-batch-1"]);
    await expect(client.send(new TransactWriteItemsCommand({ TransactItems: [action] }))).rejects.toThrow(
      /ConditionalCheckFailed/,
    );
  });
});
