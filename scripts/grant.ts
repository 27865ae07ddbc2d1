import { parseArgs } from "node:util";
import { createDynamoClient } from "../functions/adapters/dynamo/client";
import { grantRunDeps } from "../functions/grants/grant-run-deps";
import { GrantRunError, runGrant } from "../functions/grants/run-grant";
import { TABLE_DEFINITION } from "../infra/table-definition";
import { localServiceUrl } from "./local/ports";

// `npm run grant -- <grant id>`: runs an approved bulk grant (POST /grants) against the DynamoDB of the
// platform `npm start` runs, and prints its report. Run it again after a failure: it resumes, and no member
// is credited twice. Exit code 0: the grant is done; 1: it stopped short (see errors); 2: bad usage.

const usage = (dynamo: { url: string; source: string }) => `Usage:
  npm run grant -- <grant id> [options]

Options:
  --concurrency <n>  members changed at once per part (default 16; 4 parts at once)
  --endpoint <url>   DynamoDB (here ${dynamo.url}, ${dynamo.source})
  --table <name>     table name (default ${TABLE_DEFINITION.defaultName})`;

function fail(message: string, code = 2): never {
  console.error(`grant: ${message}`);
  process.exit(code);
}

async function main(): Promise<void> {
  const dynamo = localServiceUrl("dynamodb");
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        options: {
          concurrency: { type: "string" },
          endpoint: { type: "string" },
          table: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
        allowPositionals: true,
      });
    } catch (error) {
      return fail(`${(error as Error).message}\n\n${usage(dynamo)}`);
    }
  })();
  if (values.help) return console.log(usage(dynamo));
  const [grantId, ...extra] = positionals;
  if (grantId === undefined || extra.length > 0) fail(`give one grant id\n\n${usage(dynamo)}`);
  const concurrency = Number(values.concurrency ?? "16");
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    fail("--concurrency must be a whole number from 1 to 64");
  const endpoint = values.endpoint ?? dynamo.url;
  const client = createDynamoClient({ endpoint });
  const tableName = values.table ?? TABLE_DEFINITION.defaultName;
  try {
    const report = await runGrant(grantRunDeps({ client, tableName }), grantId, { concurrency });
    console.log(JSON.stringify(report, null, 2));
    process.exitCode = report.status === "done" ? 0 : 1;
  } catch (error) {
    if (error instanceof GrantRunError) fail(error.message, 1);
    const cause = (error as { code?: string; name?: string }).code ?? (error as Error).name;
    if (cause === "ECONNREFUSED") fail(`cannot reach DynamoDB at ${endpoint}. Is \`npm start\` running?`, 1);
    if (cause === "ResourceNotFoundException") fail(`table ${tableName} does not exist there`, 1);
    throw error;
  } finally {
    client.destroy();
  }
}

await main();
