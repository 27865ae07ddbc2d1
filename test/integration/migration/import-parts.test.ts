import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  enrolMember,
  type LedgerEntry,
  type MemberState,
  type Program,
  spendableBalance,
} from "../../../domain";
import { migrationPartKey } from "../../../domain/migration/migration-parts";
import { attachCapacityCounter } from "../../../functions/adapters/dynamo/capacity-counter";
import { erasureKey } from "../../../functions/adapters/dynamo/keys";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../../functions/adapters/dynamo/program-repository";
import { MEMBER_EXISTS } from "../../../functions/migration/import-members";
import { MEMBER_LEFT } from "../../../functions/migration/import-parts";
import { readImport } from "../../../scripts/import/import-file";
import { runImport } from "../../../scripts/import/run-import";
import { seedExampleProgram } from "../../../scripts/local/table";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";
import { failNthTransaction } from "../support/faults";

// A member with more lots than one transaction holds (functions/migration/import-parts.ts): 250 lots arrive in
// three transactions — the member with 97 entries, then 96 and 57 — and a run stopped between them is completed
// by the next, each entry once.

const endpoint = inject("dynamoEndpoint");
const LOTS = 250;
const importedAt = new Date().toISOString();
let table: TestTable;
let program: Program;
type Repository = ReturnType<typeof createMemberRepository>;

const repository = (client = dynamoClient(endpoint)) =>
  createMemberRepository({ client, tableName: table.tableName });

beforeAll(async () => {
  table = await createTestTable(endpoint);
  const client = dynamoClient(endpoint);
  await seedExampleProgram(client, table.tableName);
  const found = await createProgramRepository({ client, tableName: table.tableName }).inEffectAt(importedAt);
  if (!found) throw new Error("no program in effect");
  program = found;
});
afterAll(async () => {
  await table?.drop();
});

const HEADER =
  "member_id,email,locale,time_zone,consent_email,consent_sms,consent_push,consent_at,balance,lots";
const day = (i: number) =>
  new Date(Date.parse(importedAt) + (10 + i) * 86_400_000).toISOString().slice(0, 10);
function csv(memberId: string, lots = LOTS) {
  const list = Array.from({ length: lots }, (_, i) => ({ points: 10 + i, on: day(i) }));
  const balance = list.reduce((sum, lot) => sum + lot.points, 0);
  const cell = list.map((lot) => `${lot.points}@${lot.on}`).join(";");
  return `${HEADER}\n${memberId},${memberId}@example.test,en-IE,Europe/Dublin,true,false,false,${importedAt},${balance},${cell}\n`;
}

async function run(members: Repository, file: string, importId: string) {
  const read = readImport(file, { program, importId, importedAt });
  // One attempt per member: a failed write stays failed, as when a run is stopped.
  return runImport({ members, program, importId, importedAt }, read, {
    mode: "valid-rows",
    dryRun: false,
    maxAttempts: 1,
  });
}

async function ledgerOf(members: Repository, memberId: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await members.queryLedger<LedgerEntry>(memberId, { limit: 100, ...(cursor && { cursor }) });
    entries.push(...page.records.map((r) => r.entry));
    cursor = page.cursor;
  } while (cursor);
  return entries;
}

async function expectWhole(members: Repository, memberId: string) {
  const stored = await members.getMember<MemberState & Record<string, unknown>>(memberId);
  const state = stored?.state as MemberState;
  const entries = await ledgerOf(members, memberId);
  expect(entries).toHaveLength(LOTS);
  expect(new Set(entries.map((e) => e.entryId)).size).toBe(LOTS);
  expect(entries.reduce((sum, e) => sum + e.points, 0)).toBe(spendableBalance(state));
  expect(state.points.lots).toHaveLength(LOTS);
  // Each lot has its entry, for its points.
  const byDay = new Map(
    entries.map((e) => [e.details?.type === "migration" ? e.details.expiresOn : "", e.points]),
  );
  for (const lot of state.points.lots) expect(byDay.get(lot.expiresOn)).toBe(lot.points);
}

describe("importing a member with more lots than one transaction holds", () => {
  it("writes the member, then the rest of its ledger; a re-run writes nothing", async () => {
    const client = dynamoClient(endpoint);
    const counter = attachCapacityCounter(client);
    const members = repository(client);
    const summary = await run(members, csv("many-lots"), "parts");
    expect(summary).toMatchObject({ imported: 1, rejected: 0, failed: [] });
    expect(counter.counters().TransactWriteItems?.requests).toBe(3);
    await expectWhole(members, "many-lots");
    const key = await members.getAppliedKey("migration:parts:many-lots");
    expect(key?.parts).toBe(3);

    counter.reset();
    const again = await run(members, csv("many-lots"), "parts");
    expect(again).toMatchObject({ imported: 0, alreadyImported: 1, rejected: 0 });
    const operations = counter.counters();
    for (const write of ["TransactWriteItems", "PutItem", "UpdateItem", "BatchWriteItem", "DeleteItem"])
      expect(operations[write]).toBeUndefined();
  }, 240_000);

  it("completes a member a run left after its first part, each entry once", async () => {
    const client = dynamoClient(endpoint);
    // The second part commits but its answer is lost; the run gives up on the member.
    failNthTransaction(client, 2, "after-commit");
    const stopped = await run(repository(client), csv("stopped"), "parts");
    expect(stopped.failed.map((f) => f.memberId)).toEqual(["stopped"]);
    const members = repository();
    expect(await ledgerOf(members, "stopped")).toHaveLength(97 + 96);
    // The balance is whole from the first part on.
    const first = await members.getMember<MemberState & Record<string, unknown>>("stopped");
    expect(spendableBalance(first?.state as MemberState)).toBe((LOTS * (10 + 10 + LOTS - 1)) / 2);

    const resumed = await run(members, csv("stopped"), "parts");
    expect(resumed).toMatchObject({ imported: 1, alreadyImported: 0, rejected: 0, failed: [] });
    await expectWhole(members, "stopped");
    expect(await run(members, csv("stopped"), "parts")).toMatchObject({ imported: 0, alreadyImported: 1 });
  }, 240_000);

  it("writes no later part into a member erased or merged before the re-run", async () => {
    for (const [memberId, leave] of [
      ["erased-early", "erased"],
      ["merged-early", "merged"],
    ] as const) {
      const client = dynamoClient(endpoint);
      failNthTransaction(client, 2, "before-send");
      await run(repository(client), csv(memberId), "parts");
      const members = repository();
      if (leave === "erased") {
        const record = { ...erasureKey(memberId), status: { S: "erased" } };
        await client.send(new PutItemCommand({ TableName: table.tableName, Item: record }));
      } else {
        const before = await members.getMember<MemberState & Record<string, unknown>>(memberId);
        if (!before) throw new Error("the first part created no member");
        const merged: MemberState & Record<string, unknown> = {
          ...before.state,
          status: "merged",
          mergedInto: "x",
        };
        await members.putState({ memberId, previous: before, nextState: merged });
      }
      const rerun = await run(members, csv(memberId), "parts");
      expect(rerun.problems).toEqual([{ row: 2, field: "lots", reason: MEMBER_LEFT }]);
      expect(await ledgerOf(members, memberId)).toHaveLength(97);
      expect(await members.getAppliedKey(migrationPartKey("parts", memberId, 2))).toBeUndefined();
    }
  }, 240_000);

  it("rejects a member Patron already holds, and writes no entry into them", async () => {
    const members = repository();
    const { state } = enrolMember("held-many", importedAt, program);
    await members.createMember("held-many", state as MemberState & Record<string, unknown>);
    const summary = await run(members, csv("held-many"), "parts");
    expect(summary.problems).toEqual([{ row: 2, field: "member_id", reason: MEMBER_EXISTS }]);
    expect(await ledgerOf(members, "held-many")).toEqual([]);
    expect((await members.getMember("held-many"))?.version).toBe(1);
    expect(await members.getAppliedKey(migrationPartKey("parts", "held-many", 2))).toBeUndefined();
  }, 240_000);
});
