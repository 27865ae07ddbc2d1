import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createDynamoClient } from "../functions/adapters/dynamo/client";
import { createProgramRepository } from "../functions/adapters/dynamo/program-repository";
import { TABLE_DEFINITION } from "../infra/table-definition";
import { exportMembers } from "./import/export-members";
import { localServiceUrl } from "./local/ports";

// `npm run export-members -- <file.csv>`: the members of a Patron table as a migration import file (README
// "Operating Patron"), e.g. to move them to another Patron stack with `npm run import`. Members the format cannot
// carry (points still pending, a debt, partner points) are left out and listed on stderr; exit code 1 then.

const dynamo = localServiceUrl("dynamodb");
const USAGE = `Usage:
  npm run export-members -- <file.csv> [--endpoint <url>] [--table <name>]

  --endpoint <url>   DynamoDB (here ${dynamo.url}, ${dynamo.source})
  --table <name>     table name (default ${TABLE_DEFINITION.defaultName})`;

function fail(message: string): never {
  console.error(`export-members: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        options: { endpoint: { type: "string" }, table: { type: "string" }, help: { type: "boolean" } },
        allowPositionals: true,
      });
    } catch (error) {
      return fail(`${(error as Error).message}\n\n${USAGE}`);
    }
  })();
  if (values.help) return console.log(USAGE);
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) fail(`give one output file\n\n${USAGE}`);
  const client = createDynamoClient({ endpoint: values.endpoint ?? dynamo.url });
  const tableName = values.table ?? TABLE_DEFINITION.defaultName;
  try {
    const at = new Date().toISOString();
    const program = await createProgramRepository({ client, tableName }).inEffectAt(at);
    if (!program) fail(`no program is in effect in table ${tableName}`);
    const exported = await exportMembers({ client, tableName, program, at });
    await writeFile(file, exported.csv);
    console.log(`${exported.exported.toLocaleString("en-US")} members written to ${file} (as of ${at})`);
    for (const { memberId, reason } of exported.skipped) console.error(`  left out ${memberId}: ${reason}`);
    process.exitCode = exported.skipped.length > 0 ? 1 : 0;
  } finally {
    client.destroy();
  }
}

await main();
