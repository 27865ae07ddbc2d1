import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { parseArgs } from "node:util";
import { createDynamoClient } from "../functions/adapters/dynamo/client";
import { createMemberRepository } from "../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../functions/adapters/dynamo/program-repository";
import { TABLE_DEFINITION } from "../infra/table-definition";
import { ImportFileError, readImport } from "./import/import-file";
import { importProgress } from "./import/import-progress";
import { formatImportSummary } from "./import/import-summary";
import { type ImportMode, runImport } from "./import/run-import";
import { localServiceUrl } from "./local/ports";

// `npm run import -- <file>`: imports members from another loyalty programme (README "Operating Patron") into
// the DynamoDB of the platform `npm start` runs. Exit code 0: every row imported or already imported;
// 1: some rows rejected or failed (or nothing written, all-or-nothing); 2: bad usage or unreadable file.

const usage = (dynamo: { url: string; source: string }) => `Usage:
  npm run import -- <file.csv|file.jsonl> [options]

Options:
  --import-id <id>   names the import; a member is imported once per import id (default: the file name)
  --mode <mode>      all-or-nothing (default): any bad row and nothing is written
                     valid-rows: the valid rows are imported, the bad ones reported
  --dry-run          check every row and report what a run would do; writes nothing
  --concurrency <n>  batches written at once (default 4; 10 members per batch)
  --json             print the summary as JSON
  --endpoint <url>   DynamoDB (here ${dynamo.url}, ${dynamo.source})
  --table <name>     table name (default ${TABLE_DEFINITION.defaultName})`;

function fail(message: string): never {
  console.error(`import: ${message}`);
  process.exit(2);
}

const IMPORT_ID = /^[A-Za-z0-9_-]{1,64}$/;

const OPTIONS = {
  "import-id": { type: "string" },
  mode: { type: "string" },
  "dry-run": { type: "boolean" },
  concurrency: { type: "string" },
  json: { type: "boolean" },
  endpoint: { type: "string" },
  table: { type: "string" },
  help: { type: "boolean" },
} as const;

async function main(): Promise<void> {
  const dynamo = localServiceUrl("dynamodb");
  const parsed = (() => {
    try {
      return parseArgs({ options: OPTIONS, allowPositionals: true });
    } catch (error) {
      return fail(`${(error as Error).message}\n\n${usage(dynamo)}`);
    }
  })();
  const { values, positionals } = parsed;
  const text = (name: "import-id" | "mode" | "concurrency" | "endpoint" | "table") => values[name];
  if (values.help) return console.log(usage(dynamo));
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) fail(`give one import file\n\n${usage(dynamo)}`);
  const importId =
    text("import-id") ??
    basename(file, extname(file))
      .replace(/[^A-Za-z0-9_-]/g, "-")
      .slice(0, 64);
  if (!IMPORT_ID.test(importId)) fail(`--import-id must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"`);
  const mode = (text("mode") ?? "all-or-nothing") as ImportMode;
  if (mode !== "all-or-nothing" && mode !== "valid-rows")
    fail(`--mode must be "all-or-nothing" or "valid-rows", got "${mode}"`);
  const concurrency = Number(text("concurrency") ?? "4");
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    fail("--concurrency must be a whole number from 1 to 64");

  const content = await readFile(file, "utf8").catch((error: Error) =>
    fail(`cannot read ${file}: ${error.message}`),
  );
  const client = createDynamoClient({ endpoint: text("endpoint") ?? dynamo.url });
  const tableName = text("table") ?? TABLE_DEFINITION.defaultName;
  const importedAt = new Date().toISOString();
  try {
    const program = await createProgramRepository({ client, tableName }).inEffectAt(importedAt);
    if (!program)
      fail(`no program is in effect in table ${tableName}; publish one first (npm start seeds one)`);
    const read = readImport(content, { program, importId, importedAt });
    const progress = importProgress();
    const summary = await runImport(
      { members: createMemberRepository({ client, tableName }), program, importId, importedAt },
      read,
      { mode, dryRun: values["dry-run"] === true, concurrency, onProgress: progress.update },
    );
    progress.done();
    console.log(values.json ? JSON.stringify(summary, null, 2) : formatImportSummary(summary));
    process.exitCode = summary.rejected > 0 || summary.failed.length > 0 || summary.aborted ? 1 : 0;
  } catch (error) {
    if (error instanceof ImportFileError) fail(`${file}: ${error.message}`);
    const cause = (error as { code?: string; name?: string }).code ?? (error as Error).name;
    if (cause === "ECONNREFUSED")
      fail(`cannot reach DynamoDB at ${text("endpoint") ?? dynamo.url}. Is \`npm start\` running?`);
    if (cause === "ResourceNotFoundException") fail(`table ${tableName} does not exist there`);
    throw error;
  } finally {
    client.destroy();
  }
}

await main();
