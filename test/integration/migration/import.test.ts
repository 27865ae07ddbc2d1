import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolMember, type MemberState, type Program, spendableBalance } from "../../../domain";
import { attachCapacityCounter } from "../../../functions/adapters/dynamo/capacity-counter";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../../functions/adapters/dynamo/program-repository";
import { memberSummary } from "../../../functions/http/member-views";
import { MEMBER_EXISTS } from "../../../functions/migration/import-members";
import { MAX_IMPORT_LOTS } from "../../../functions/migration/import-row-schema";
import { readImport } from "../../../scripts/import/import-file";
import { type ImportOptions, runImport } from "../../../scripts/import/run-import";
import { BREAKABLE_FIELDS, syntheticImport } from "../../../scripts/import/synthetic-members";
import { verifyImport } from "../../../scripts/import/verify-import";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { seedExampleProgram } from "../../../scripts/local/table";
import { createTestTable, dedicatedDynamoLocal, dynamoClient, type TestTable } from "../support/dynamo";

// The migration import on DynamoDB Local: two thousand generated members land exactly as the file says (the
// whole table compared member by member: balance, lots, qualifying months, tier, punch cards, ledger, profile —
// scripts/import/verify-import.ts, the check the 100,000-member bench runs); a second run writes nothing; a file
// with 1% bad rows, every field broken somewhere, has each bad row reported and the rest imported.

// A DynamoDB Local of this file's own: a thousand member transactions on the shared instance, late in a full run
// when it has filled and slowed, took over a minute (the load tests' reason, test/integration/support/dynamo.ts).
let dynamo: DynamoLocal;
let client: DynamoDBClient;
let counter: ReturnType<typeof attachCapacityCounter>;
let table: TestTable;
let members: ReturnType<typeof createMemberRepository>;
let program: Program;
const importedAt = new Date().toISOString();
const MEMBERS = 2_000;
// Two thousand member transactions took ~95 s on a 2-core machine under heavy load from other work: room to spare.

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

    const verified = await verifyImport({
      client,
      tableName: table.tableName,
      program,
      importId: "bulk",
      importedAt,
      expected: file.expected,
    });
    expect(verified.mismatches).toEqual([]);
    expect(verified).toMatchObject({ exact: MEMBERS, items: verified.expectedItems });
    // The check can fail: one point more promised than stored is found, in the state and the ledger.
    const [first, ...rest] = file.expected;
    if (!first) throw new Error("no members generated");
    const tampered = await verifyImport({
      client,
      tableName: table.tableName,
      program,
      importId: "bulk",
      importedAt,
      expected: [{ ...first, balance: first.balance + 1 }, ...rest],
    });
    expect(tampered).toMatchObject({
      exact: MEMBERS - 1,
      mismatches: [`${first.memberId}: balance, ledger`],
    });
    // As GET /me shows them: the balance, and the tier with its keepsUntil.
    const stored = await members.getMembers<MemberState & Record<string, unknown>>(
      file.expected.slice(0, 100).map((m) => m.memberId),
    );
    for (const want of file.expected.slice(0, 100)) {
      const summary = memberSummary(
        stored.get(want.memberId)?.state as MemberState,
        program,
        new Date(importedAt),
      );
      expect(summary.points.spendable).toBe(want.balance);
      if (want.tierId)
        expect(summary.tier).toMatchObject({ tierId: want.tierId, keepsUntil: want.keepsUntil });
    }
    const profile = await members.getProfile(file.expected[0]?.memberId ?? "");
    expect(profile).toMatchObject({ email: `${file.expected[0]?.memberId}@example.com`, locale: "en-GB" });
  }, 240_000);

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
      members: MEMBERS,
      importedAt,
      seed: 12,
      badShare: 0.01,
      idPrefix: "bad-",
    });
    // Every field of the format is broken on some row.
    expect(new Set(broken.bad.map((b) => b.field))).toEqual(new Set(BREAKABLE_FIELDS));
    counter.reset();
    const aborted = await run(broken.csv, "broken", { mode: "all-or-nothing" });
    expect(aborted).toMatchObject({ aborted: true, imported: 0, rejected: broken.bad.length });
    // One broken field per bad row, which may break more than one rule (an expired lot that also miscounts).
    const reported = new Map(aborted.problems.map((p) => [p.row, p.field]));
    expect([...reported].map(([row, field]) => ({ row, field }))).toEqual(broken.bad);
    expect(JSON.stringify(aborted.problems)).not.toContain("not-an-address");
    expect(counter.counters().TransactWriteItems).toBeUndefined();

    const partial = await run(broken.csv, "broken", { mode: "valid-rows" });
    expect(partial).toMatchObject({
      aborted: false,
      imported: broken.expected.length,
      rejected: broken.bad.length,
    });
    expect(partial.problems.map((p) => p.row)).toEqual(aborted.problems.map((p) => p.row));
    const verified = await verifyImport({
      client,
      tableName: table.tableName,
      program,
      importId: "broken",
      importedAt,
      expected: broken.expected,
      idPrefix: "bad-",
    });
    expect(verified.mismatches).toEqual([]);
    expect(verified).toMatchObject({ exact: broken.expected.length, items: verified.expectedItems });
  }, 240_000);

  it("imports a member with as many expiry lots as the import allows (in parts), and names the field beyond that", async () => {
    const header =
      "member_id,email,locale,time_zone,consent_email,consent_sms,consent_push,consent_at,balance,lots,qualifying,tier,tier_keeps_until";
    const day = (i: number) =>
      new Date(Date.parse(importedAt) + (30 + i) * 86_400_000).toISOString().slice(0, 10);
    const row = (id: string, lots: number) => {
      const list = Array.from({ length: lots }, (_, i) => `1@${day(i)}`).join(";");
      return `${id},${id}@example.test,en-IE,Europe/Dublin,true,false,false,${importedAt},${lots},${list},,,`;
    };
    const csv = `${header}\n${row("lots-max", MAX_IMPORT_LOTS)}\n${row("lots-over", MAX_IMPORT_LOTS + 1)}\n`;
    const summary = await run(csv, "lots");
    expect(summary.failed).toEqual([]);
    expect(summary.imported).toBe(1);
    expect(summary.problems).toEqual([{ row: 3, field: "lots", reason: `at most ${MAX_IMPORT_LOTS} lots` }]);
    const stored = await members.getMember<MemberState & Record<string, unknown>>("lots-max");
    expect(spendableBalance(stored?.state as MemberState)).toBe(MAX_IMPORT_LOTS);
    expect(await members.getMember("lots-over")).toBeUndefined();
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
