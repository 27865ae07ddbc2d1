// The migration import at scale on DynamoDB Local: a generated file of 100,000 members (0-3 lots, up to 12
// qualifying months, tiers, punch cards, unlocked rewards) imported with the CLI's defaults, then proven:
// every member compared with the file (scripts/import/verify-import.ts; one mismatch fails the suite), a
// second run that must write nothing, and a file with 1% bad rows, every field broken somewhere.
//
// The floor: the very items the import wrote (captured from its transactions), written with raw BatchWriteItem
// (25 items per request) into the same table definition on a second, fresh DynamoDB Local, with the same
// number of requests in flight (40: the import's 4 batches of 10 members), in rounds that alternate with the
// import's. Not the same instance: DynamoDB Local slows writes to a table with a stream (Patron's has one)
// by orders of magnitude once ANOTHER streamed table of the instance holds many stream records (measured:
// BatchWriteItem 2,000 items/s into the first streamed table, 23 items/s into a second one next to 60,000
// records, transactions 6 items/s), which made the old same-instance floor collapse to 11 members/s.
// Standalone: `npx tsx scripts/bench/import.ts [members]` prints the results.

import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  type TransactWriteItemsCommandInput,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { Program } from "../../domain";
import {
  attachCapacityCounter,
  type CapacityCounter,
} from "../../functions/adapters/dynamo/capacity-counter";
import { createDynamoClient } from "../../functions/adapters/dynamo/client";
import { createMemberRepository } from "../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../functions/adapters/dynamo/program-repository";
import { createTableInput } from "../../infra/table-definition";
import { type ReadImport, readImport } from "../import/import-file";
import { type ImportOptions, runImport } from "../import/run-import";
import { syntheticImport } from "../import/synthetic-members";
import { verifyImport } from "../import/verify-import";
import { type DynamoLocal, startDynamoLocal } from "../local/dynamo-local";
import { seedExampleProgram } from "../local/table";
import type { BenchResult } from "./types";

/** `PATRON_BENCH_IMPORT_MEMBERS` sets another size for `npm run bench -- import`. */
const DEFAULT_MEMBERS = Number(process.env.PATRON_BENCH_IMPORT_MEMBERS ?? 100_000);
const ROUNDS = 10;
const BAD_FILE_MEMBERS = 5_000;
const CONCURRENCY = 4;
const BATCH_SIZE = 10;
const IN_FLIGHT = CONCURRENCY * BATCH_SIZE;
const BATCH_WRITE_MAX = 25;
const TABLE = "import-bench";
const WRITES = ["TransactWriteItems", "BatchWriteItem", "PutItem", "UpdateItem", "DeleteItem"];

type Item = Record<string, AttributeValue>;

async function createTable(client: DynamoDBClient): Promise<void> {
  await client.send(new CreateTableCommand(createTableInput(TABLE)));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: TABLE });
}

/** Collects the items of every transaction the client commits (the import's are all Puts). */
function captureTransactions(client: DynamoDBClient): { take(): Item[] } {
  let items: Item[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === "TransactWriteItemsCommand")
        for (const action of (args.input as TransactWriteItemsCommandInput).TransactItems ?? []) {
          if (!action.Put?.Item) throw new Error("the import wrote something other than a Put");
          items.push(action.Put.Item);
        }
      return result;
    },
    { step: "initialize", name: "importBenchCapture" },
  );
  return {
    take() {
      const taken = items;
      items = [];
      return taken;
    },
  };
}

/** Writes `items` with BatchWriteItem, `inFlight` requests at a time, unprocessed items sent again. */
async function rawBatchWrite(client: DynamoDBClient, items: Item[], inFlight: number): Promise<void> {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += BATCH_WRITE_MAX) batches.push(items.slice(i, i + BATCH_WRITE_MAX));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [TABLE]: pending } }),
        );
        pending = (UnprocessedItems?.[TABLE] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

const writesCounted = (counter: CapacityCounter) =>
  WRITES.reduce((sum, op) => sum + (counter.counters()[op]?.requests ?? 0), 0);
const n = (value: number) => value.toLocaleString("en-US");

interface Bench {
  client: DynamoDBClient;
  counter: CapacityCounter;
  program: Program;
  importedAt: string;
}

const importOptions = (mode: ImportOptions["mode"]): ImportOptions => ({
  mode,
  dryRun: false,
  concurrency: CONCURRENCY,
  batchSize: BATCH_SIZE,
});

/** The file with 1% bad rows: all-or-nothing writes nothing, valid-rows imports the rest exactly. */
async function badRowsFigure(bench: Bench): Promise<BenchResult> {
  const { client, counter, program, importedAt } = bench;
  const file = syntheticImport({
    members: BAD_FILE_MEMBERS,
    importedAt,
    seed: 12,
    badShare: 0.01,
    idPrefix: "bad-",
  });
  const ctx = {
    members: createMemberRepository({ client, tableName: TABLE }),
    program,
    importId: "bad",
    importedAt,
  };
  const read = readImport(file.csv, ctx);
  counter.reset();
  const aborted = await runImport(ctx, read, importOptions("all-or-nothing"));
  const abortedWrites = writesCounted(counter);
  const reported = new Map(aborted.problems.map((p) => [p.row, p.field]));
  const exactReport =
    reported.size === file.bad.length && file.bad.every((b) => reported.get(b.row) === b.field);
  const partial = await runImport(ctx, read, importOptions("valid-rows"));
  const verified = await verifyImport({
    ...ctx,
    client,
    tableName: TABLE,
    expected: file.expected,
    idPrefix: "bad-",
  });
  if (!exactReport || abortedWrites > 0 || !aborted.aborted)
    throw new Error(`1% bad rows: reported ${reported.size} of ${file.bad.length}, ${abortedWrites} writes`);
  if (partial.imported !== file.expected.length || verified.mismatchCount > 0)
    throw new Error(`1% bad rows, valid rows: ${verified.mismatches.slice(0, 5).join("; ")}`);
  const fields = new Set(file.bad.map((b) => b.field)).size;
  return {
    name: "Migration import, file with 1% bad rows: bad rows reported (row and field)",
    value: reported.size,
    unit: `of ${n(file.bad.length)} bad rows`,
    target: "every bad row",
    meetsTarget: true,
    note: `${n(BAD_FILE_MEMBERS)} generated rows, ${fields} fields broken (every field of the format); all-or-nothing: aborted, 0 write requests; valid-rows: ${n(partial.imported)} imported, each stored exactly (${n(verified.exact)} of ${n(file.expected.length)})`,
  };
}

export async function runImportBench(members = DEFAULT_MEMBERS): Promise<BenchResult[]> {
  const started = performance.now();
  const locals: DynamoLocal[] = [];
  const clients: DynamoDBClient[] = [];
  try {
    locals.push(await startDynamoLocal({ port: 0 }), await startDynamoLocal({ port: 0 }));
    const [client, rawClient] = locals.map((local) => createDynamoClient({ endpoint: local.endpoint })) as [
      DynamoDBClient,
      DynamoDBClient,
    ];
    clients.push(client, rawClient);
    await createTable(client);
    await createTable(rawClient);
    await seedExampleProgram(client, TABLE);
    const counter = attachCapacityCounter(client);
    const capture = captureTransactions(client);
    const importedAt = new Date().toISOString();
    const program = await createProgramRepository({ client, tableName: TABLE }).inEffectAt(importedAt);
    if (!program) throw new Error("the example program is not in effect");
    const bench: Bench = { client, counter, program, importedAt };
    const ctx = {
      members: createMemberRepository({ client, tableName: TABLE }),
      program,
      importId: "bench",
      importedAt,
    };

    const file = syntheticImport({ members, importedAt, seed: 3 });
    const parseStarted = performance.now();
    const read = readImport(file.csv, ctx);
    const parseSeconds = (performance.now() - parseStarted) / 1000;

    // Rounds alternate import and floor, so a slower or busier stretch of the run weighs on both alike.
    let importSeconds = 0;
    let rawSeconds = 0;
    let items = 0;
    const perRound = Math.ceil(read.rows.length / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const rows = read.rows.slice(round * perRound, (round + 1) * perRound);
      const part: ReadImport = { rows, ruledOut: [], problems: [], total: rows.length };
      const summary = await runImport(ctx, part, importOptions("valid-rows"));
      if (summary.imported !== rows.length) throw new Error(`imported ${summary.imported} of ${rows.length}`);
      importSeconds += summary.seconds;
      const written = capture.take();
      items += written.length;
      const rawStarted = performance.now();
      await rawBatchWrite(rawClient, written, IN_FLIGHT);
      rawSeconds += (performance.now() - rawStarted) / 1000;
      console.error(
        `  round ${round + 1}/${ROUNDS}: import ${(importSeconds).toFixed(0)} s, floor ${rawSeconds.toFixed(0)} s so far`,
      );
    }
    const importRate = members / importSeconds;
    const rawRate = members / rawSeconds;

    counter.reset();
    const again = await runImport(ctx, read, importOptions("valid-rows"));
    const againWrites = writesCounted(counter);
    const againReads = counter.total().requests;
    if (again.alreadyImported !== members || again.imported !== 0 || againWrites > 0)
      throw new Error(`re-run: ${again.imported} imported, ${againWrites} write requests`);

    const verifyStarted = performance.now();
    const verified = await verifyImport({ ...ctx, client, tableName: TABLE, expected: file.expected });
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (verified.mismatchCount > 0 || verified.items !== verified.expectedItems)
      throw new Error(
        `${verified.mismatchCount} mismatches, ${verified.items} items for ${verified.expectedItems}: ${verified.mismatches.slice(0, 5).join("; ")}`,
      );
    const badRows = await badRowsFigure(bench);
    const suiteSeconds = (performance.now() - started) / 1000;
    return [
      {
        name: `Migration import rate (${n(members)} generated members, one transaction each)`,
        value: Math.round(importRate),
        unit: "members/s",
        baseline: {
          name: "raw BatchWriteItem of the same items, 25 per request",
          value: Math.round(rawRate),
          unit: "members/s",
        },
        ratio: importRate / rawRate,
        note: `${n(items)} items (STATE, PROFILE, business key, ledger); both sides ${IN_FLIGHT} requests in flight, in ${ROUNDS} alternating rounds; the floor on a second fresh DynamoDB Local with the same table definition (stream included; see scripts/bench/import.ts for why not the same instance); import ${importSeconds.toFixed(0)} s incl. its reads, floor ${rawSeconds.toFixed(0)} s; checking the file (parse, schema, program rules) ${parseSeconds.toFixed(1)} s more`,
      },
      {
        name: "Migration import: members stored exactly as the file says",
        value: verified.exact,
        unit: "members",
        target: `all ${n(members)}`,
        meetsTarget: verified.exact === members,
        note: `every member read by key (${verifySeconds.toFixed(0)} s): decoded STATE (balance, lots with expiry, qualifying months, tier and keepsUntil, punch cards, unlocked rewards, nothing pending), one migration ledger entry per lot summing to the balance, business key, PROFILE; ${n(verified.items)} items in the table, as many as expected`,
      },
      {
        name: "Migration import re-run (every member already imported)",
        value: Math.round(members / again.seconds),
        unit: "members/s",
        target: "0 writes",
        meetsTarget: againWrites === 0,
        note: `${n(again.alreadyImported)} already imported, ${againWrites} write requests (capacity counter), ${n(againReads)} read requests`,
      },
      badRows,
      {
        name: "Migration import suite wall time",
        value: Math.round(suiteSeconds),
        unit: "s",
        note: "two DynamoDB Locals started, import and floor, re-run, verification and the bad-rows file",
      },
    ];
  } finally {
    for (const client of clients) client.destroy();
    await Promise.all(locals.map((local) => local.stop()));
  }
}

if (import.meta.filename === process.argv[1]) {
  const members = process.argv[2] === undefined ? DEFAULT_MEMBERS : Number(process.argv[2]);
  console.log(JSON.stringify(await runImportBench(members), null, 2));
}
