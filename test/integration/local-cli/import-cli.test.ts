import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { syntheticImport } from "../../../scripts/import/synthetic-members";
import { seedExampleProgram } from "../../../scripts/local/table";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";

// `npm run import` as a process: dry run, bad rows all-or-nothing, valid rows, and the exit codes.

const root = join(import.meta.dirname, "..", "..", "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const endpoint = inject("dynamoEndpoint");
const client = dynamoClient(endpoint);
let table: TestTable;
let dir: string;

function runImport(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      [join(root, "scripts", "import.ts"), ...args, "--endpoint", endpoint, "--table", table.tableName],
      { cwd: root, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  table = await createTestTable(endpoint);
  await seedExampleProgram(client, table.tableName);
  dir = mkdtempSync(join(tmpdir(), "patron-import-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await table.drop();
  client.destroy();
});

describe("npm run import", () => {
  it("checks, refuses a file with a bad row, then imports its valid rows", async () => {
    const file = syntheticImport({ members: 40, importedAt: new Date().toISOString(), idPrefix: "cli-" });
    const lines = file.csv.trimEnd().split("\n");
    lines[3] = (lines[3] ?? "").replace("@example.com", "");
    const path = join(dir, "members.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const members = createMemberRepository({ client, tableName: table.tableName });

    const dry = await runImport([path, "--dry-run", "--mode", "valid-rows", "--json"]);
    expect(dry.code).toBe(1);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, rows: 40, wouldImport: 39, rejected: 1 });
    expect((await members.getMembers(file.expected.map((m) => m.memberId))).size).toBe(0);

    const refused = await runImport([path, "--import-id", "cli"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("line 4  email: must be a valid e-mail address");
    expect(refused.stdout).toContain("nothing was written");
    expect(refused.stdout).not.toContain("cli-000002");

    const imported = await runImport([path, "--import-id", "cli", "--mode", "valid-rows", "--json"]);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 39, rejected: 1 });
    expect(imported.stderr).toContain("import: 100%");
    expect((await members.getMembers(file.expected.map((m) => m.memberId))).size).toBe(39);
  });

  it("names what is wrong with its arguments", async () => {
    const run = await runImport(["nowhere.csv", "--mode", "some"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--mode must be "all-or-nothing" or "valid-rows"');
  });
});
