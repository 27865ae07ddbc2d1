// The migration import on a DynamoDB Local of its own: a generated file of members (0-3 lots, up to 12
// qualifying months, tiers, punch cards) imported with the CLI's defaults, against the floor of the same
// DynamoDB Local — the very items the import wrote (STATE, business key, ledger entries, PROFILE), copied into
// a fresh table with raw BatchWriteItem (25 items per request, as many requests in flight as the import has
// members in flight). The ratio says what one transaction per member (conditions, atomicity) costs.
// Standalone: `npx tsx scripts/bench/import.ts [members]` prints the results.

import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  ScanCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { createDynamoClient } from "../../functions/adapters/dynamo/client";
import { createMemberRepository } from "../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../functions/adapters/dynamo/program-repository";
import { createTableInput } from "../../infra/table-definition";
import { readImport } from "../import/import-file";
import { runImport } from "../import/run-import";
import { syntheticImport } from "../import/synthetic-members";
import { startDynamoLocal } from "../local/dynamo-local";
import { seedExampleProgram } from "../local/table";
import type { BenchResult } from "./types";

const DEFAULT_MEMBERS = 10_000;
const CONCURRENCY = 4;
const BATCH_SIZE = 10;
const BATCH_WRITE_MAX = 25;

type Item = Record<string, AttributeValue>;

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}

async function scanAll(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ...(start && { ExclusiveStartKey: start }) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Writes `items` with BatchWriteItem, `inFlight` requests at a time, unprocessed items sent again. */
async function rawBatchWrite(client: DynamoDBClient, tableName: string, items: Item[], inFlight: number) {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += BATCH_WRITE_MAX) batches.push(items.slice(i, i + BATCH_WRITE_MAX));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

export async function runImportBench(members = DEFAULT_MEMBERS): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal({ port: 0 });
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  try {
    await createTable(client, "import-bench");
    await seedExampleProgram(client, "import-bench");
    const importedAt = new Date().toISOString();
    const program = await createProgramRepository({ client, tableName: "import-bench" }).inEffectAt(
      importedAt,
    );
    if (!program) throw new Error("the example program is not in effect");
    const file = syntheticImport({ members, importedAt, seed: 3 });
    const read = readImport(file.csv, { program, importId: "bench", importedAt });
    const repository = createMemberRepository({ client, tableName: "import-bench" });
    const summary = await runImport({ members: repository, program, importId: "bench", importedAt }, read, {
      mode: "valid-rows",
      dryRun: false,
      concurrency: CONCURRENCY,
      batchSize: BATCH_SIZE,
    });
    if (summary.imported !== members) throw new Error(`imported ${summary.imported} of ${members} members`);
    const importRate = members / summary.seconds;

    const again = await runImport({ members: repository, program, importId: "bench", importedAt }, read, {
      mode: "valid-rows",
      dryRun: false,
      concurrency: CONCURRENCY,
      batchSize: BATCH_SIZE,
    });

    // The floor: the same items (the program's aside), written without conditions or transactions.
    const written = (await scanAll(client, "import-bench")).filter(
      (item) => !item.PK?.S?.startsWith("PROGRAM"),
    );
    await createTable(client, "import-bench-raw");
    const started = performance.now();
    await rawBatchWrite(client, "import-bench-raw", written, CONCURRENCY * BATCH_SIZE);
    const rawRate = members / ((performance.now() - started) / 1000);
    const note = `${members.toLocaleString("en-US")} generated members, ${written.length.toLocaleString("en-US")} items; ${CONCURRENCY} batches of ${BATCH_SIZE} in flight; DynamoDB Local on this machine`;
    return [
      {
        name: "Migration import rate (one transaction per member)",
        value: Math.round(importRate),
        unit: "members/s",
        baseline: {
          name: "raw BatchWriteItem of the same items",
          value: Math.round(rawRate),
          unit: "members/s",
        },
        ratio: importRate / rawRate,
        note,
      },
      {
        name: "Migration import re-run (every member already imported; reads only)",
        value: Math.round(members / again.seconds),
        unit: "members/s",
        note: `${again.alreadyImported.toLocaleString("en-US")} already imported, ${again.imported} written`,
      },
    ];
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

if (import.meta.filename === process.argv[1]) {
  const members = process.argv[2] === undefined ? DEFAULT_MEMBERS : Number(process.argv[2]);
  console.log(JSON.stringify(await runImportBench(members), null, 2));
}
