import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolMember, type MemberState, type Program, spendableBalance } from "../../../domain";
import { attachCapacityCounter } from "../../../functions/adapters/dynamo/capacity-counter";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../../functions/adapters/dynamo/program-repository";
import { memberSummary } from "../../../functions/http/member-views";
import { MEMBER_EXISTS } from "../../../functions/migration/import-members";
import { readImport } from "../../../scripts/import/import-file";
import { type ImportOptions, runImport } from "../../../scripts/import/run-import";
import { syntheticImport } from "../../../scripts/import/synthetic-members";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { seedExampleProgram } from "../../../scripts/local/table";
import { createTestTable, dedicatedDynamoLocal, dynamoClient, type TestTable } from "../support/dynamo";

// The migration import on DynamoDB Local: a thousand generated members land with every balance, lot and
// tier exact and ledgers that sum to the balance; a second run writes nothing; bad rows are each reported.

// A DynamoDB Local of this file's own: a thousand member transactions on the shared instance, late in a full run
// when it has filled and slowed, took over a minute (the load tests' reason, test/integration/support/dynamo.ts).
let dynamo: DynamoLocal;
let client: DynamoDBClient;
let counter: ReturnType<typeof attachCapacityCounter>;
let table: TestTable;
let members: ReturnType<typeof createMemberRepository>;
let program: Program;
const importedAt = new Date().toISOString();
const MEMBERS = 1_000;

beforeAll(async () => {
  dynamo = await dedicatedDynamoLocal();
  // SDK retries on, as the CLI has them.
  client = dynamoClient(dynamo.endpoint, 5);
  counter = attachCapacityCounter(client);
  table = await createTestTable(dynamo.endpoint);
  await seedExampleProgram(client, table.tableName);
  members = createMemberRepository({ client, tableName: table.tableName });
  const found = await createProgramRepository({ client, tableName: table.tableName }).inEffectAt(importedAt);
  if (!found) throw new Error("no program in effect");
  program = found;
});
afterAll(async () => {
  await table?.drop();
  client?.destroy();
  await dynamo?.stop();
});

async function run(csv: string, importId: string, options: Partial<ImportOptions> = {}, at = importedAt) {
  const read = readImport(csv, { program, importId, importedAt: at });
  return runImport({ members, program, importId, importedAt: at }, read, {
    mode: "valid-rows",
    dryRun: false,
    concurrency: 4,
    ...options,
  });
}

describe("npm run import on DynamoDB Local", () => {
  const file = syntheticImport({ members: MEMBERS, importedAt, seed: 7 });

  it("imports every member with its balance, lots and tier exact", async () => {
    const summary = await run(file.csv, "bulk");
    expect(summary).toMatchObject({ rows: MEMBERS, imported: MEMBERS, rejected: 0, alreadyImported: 0 });
    expect(summary.failed).toEqual([]);

    const stored = await members.getMembers<MemberState & Record<string, unknown>>(
      file.expected.map((m) => m.memberId),
    );
    expect(stored.size).toBe(MEMBERS);
    for (const want of file.expected) {
      const state = stored.get(want.memberId)?.state as MemberState;
      expect(spendableBalance(state)).toBe(want.balance);
      expect(state.points.lots).toEqual(want.lots);
      expect(state.rewards.unlocked).toEqual(want.unlocked);
      // As GET /me shows them: the balance, and the tier with its keepsUntil.
      const summary = memberSummary(state, program, new Date(importedAt));
      expect(summary.points.spendable).toBe(want.balance);
      if (want.tierId)
        expect(summary.tier).toMatchObject({ tierId: want.tierId, keepsUntil: want.keepsUntil });
    }
    // The ledger explains the balance: one migration entry per lot (a sample; the domain test covers all).
    for (const want of file.expected.filter((_, i) => i % 20 === 0)) {
      const { records } = await members.queryLedger(want.memberId, { limit: 100 });
      const entries = records.map((r) => r.entry as { kind: string; points: number });
      expect(entries.every((e) => e.kind === "migration")).toBe(true);
      expect(entries.reduce((sum, e) => sum + e.points, 0)).toBe(want.balance);
      expect(entries).toHaveLength(Math.max(1, want.lots.length));
    }
    const profile = await members.getProfile(file.expected[0]?.memberId ?? "");
    expect(profile).toMatchObject({ email: `${file.expected[0]?.memberId}@example.com`, locale: "en-GB" });
  });

  it("writes nothing when the same import runs again", async () => {
    counter.reset();
    const summary = await run(file.csv, "bulk");
    expect(summary).toMatchObject({ imported: 0, alreadyImported: MEMBERS, rejected: 0 });
    const operations = counter.counters();
    for (const write of ["TransactWriteItems", "PutItem", "UpdateItem", "BatchWriteItem", "DeleteItem"])
      expect(operations[write]).toBeUndefined();
  });

  it("still counts them as imported when re-run after their lots and tiers have run out", async () => {
    const later = new Date(Date.parse(importedAt) + 3 * 365 * 86_400_000).toISOString();
    const summary = await run(file.csv, "bulk", {}, later);
    expect(summary).toMatchObject({ imported: 0, alreadyImported: MEMBERS, rejected: 0 });
  });

  it("reports each bad row of a file with 1% bad rows, and imports none of it all-or-nothing", async () => {
    const broken = syntheticImport({
      members: 1_000,
      importedAt,
      seed: 11,
      badShare: 0.01,
      idPrefix: "bad-",
    });
    expect(broken.bad.length).toBeGreaterThan(0);
    const aborted = await run(broken.csv, "broken", { mode: "all-or-nothing" });
    expect(aborted).toMatchObject({ aborted: true, imported: 0, rejected: broken.bad.length });
    // One broken field per bad row, which may break more than one rule (an expired lot that also miscounts).
    const reported = new Map(aborted.problems.map((p) => [p.row, p.field]));
    expect([...reported].map(([row, field]) => ({ row, field }))).toEqual(broken.bad);
    expect(JSON.stringify(aborted.problems)).not.toContain("not-an-address");
    expect((await members.getMembers(broken.expected.map((m) => m.memberId))).size).toBe(0);

    const partial = await run(broken.csv, "broken", { mode: "valid-rows" });
    expect(partial).toMatchObject({
      aborted: false,
      imported: broken.expected.length,
      rejected: broken.bad.length,
    });
  });

  it("rejects a member Patron already holds and leaves them as they were", async () => {
    const { state } = enrolMember("held-1", importedAt, program);
    await members.createMember("held-1", state as MemberState & Record<string, unknown>);
    const csv = syntheticImport({ members: 1, importedAt, idPrefix: "held-" }).csv.replaceAll(
      "held-000000",
      "held-1",
    );
    const summary = await run(csv, "held");
    expect(summary.problems).toEqual([{ row: 2, field: "member_id", reason: MEMBER_EXISTS }]);
    const after = await members.getMember<MemberState & Record<string, unknown>>("held-1");
    expect(after?.version).toBe(1);
    expect(spendableBalance(after?.state as MemberState)).toBe(0);
  });
});
