// The nightly analytics job end to end on DynamoDB Local: 20,000 synthetic members (BG/NBD purchase histories,
// Gamma-Gamma order values, a PROFILE item for every 4th member) are scanned, fitted, scored and written back.
// Runs: the first night (every customer's scores are new), the same night again (nothing may change), the
// next night and a week later with no new purchases (how many scores the passing of time alone moves past the
// change thresholds). DynamoDB Local runs on the same machine, so request latency is far below AWS's and the
// figures measure the job's own work; docs/analytics-at-scale.md scales them to AWS.
// Standalone: `npx tsx scripts/bench/analytics-job.ts` prints the results.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  type AttributeValue,
  CreateTableCommand,
  type DynamoDBClient,
  ScanCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { createDynamoClient } from "../../functions/adapters/dynamo/client";
import { itemSize } from "../../functions/adapters/dynamo/item-size";
import { memberPk } from "../../functions/adapters/dynamo/keys";
import {
  decodeState,
  encodeState,
  STATE_ATTRIBUTE,
  stateAttribute,
} from "../../functions/adapters/dynamo/state-codec";
import type { AnalyticsSnapshot } from "../../functions/analytics/analytics-snapshot";
import { createAnalyticsStore, decodeStateItem } from "../../functions/analytics/analytics-store";
import { type AnalyticsJobReport, runAnalyticsJob } from "../../functions/analytics/run-analytics-job";
import { createLogger } from "../../functions/shared/logger";
import { createTableInput } from "../../infra/table-definition";
import {
  SYNTHETIC_PARAMS,
  seedMembers,
  syntheticMembers,
} from "../../test/integration/analytics/synthetic-members";
import { startDynamoLocal } from "../local/dynamo-local";
import { kpiFigures } from "./analytics-kpi-figures";
import type { BenchResult } from "./types";

const MEMBERS = 20_000;
const FIRST_NIGHT = new Date("2025-06-01T01:00:00.000Z");
const DAY_MS = 86_400_000;

type Item = Record<string, AttributeValue>;

/** Members decoded per second by `decode`, repeated for at least half a second. */
function rate(count: number, decode: () => void): number {
  decode(); // warm-up
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < 500) {
    decode();
    done += count;
  }
  return done / ((performance.now() - start) / 1000);
}

/** Only what the job's Scan projects, as DynamoDB would return it. */
function projected(item: Item): Item {
  return {
    PK: item.PK as AttributeValue,
    version: item.version as AttributeValue,
    [STATE_ATTRIBUTE]: item[STATE_ATTRIBUTE] as AttributeValue,
  };
}

/** DynamoDB JSON as on the wire: binary values are base64 text. */
const toWire = (item: Item) =>
  Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      value.B ? { B: Buffer.from(value.B).toString("base64") } : value,
    ]),
  );
/** What the SDK's deserialiser does with a wire item: base64 text back to bytes. */
const fromWire = (item: Item): Item =>
  Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      value.B ? { B: Buffer.from(value.B as unknown as string, "base64") } : value,
    ]),
  );

/** STATE item sizes and how fast one core turns Scan pages / export lines into the job's member rows. */
async function decodeFigures(
  client: DynamoDBClient,
  tableName: string,
): Promise<{ results: BenchResult[]; items: Item[] }> {
  const page = await client.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: "SK = :state AND version > :one",
      ExpressionAttributeValues: { ":state": { S: "STATE" }, ":one": { N: "1" } },
      Limit: 2_000,
    }),
  );
  // Scored members only (the first night's write bumped their version).
  const items = (page.Items ?? []).filter((item) => decodeStateItem(item)?.stored);
  const sizes = items.map((item) => itemSize(item));
  const mean = (values: number[]) =>
    Math.round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length));
  // What the scores add to the encoded state: the same state encoded without them.
  const scoresSizes = items.map((item) => {
    const { scores: _scores, ...rest } = decodeState(item[STATE_ATTRIBUTE]);
    return (item[STATE_ATTRIBUTE]?.B?.byteLength ?? 0) - encodeState(rest).byteLength;
  });
  const scanText = JSON.stringify({ Items: items.map((item) => toWire(projected(item))) });
  const exportText = items.map((item) => JSON.stringify({ Item: toWire(item) })).join("\n");
  const scanRate = rate(items.length, () => {
    for (const item of (JSON.parse(scanText) as { Items: Item[] }).Items) decodeStateItem(fromWire(item));
  });
  const exportRate = rate(items.length, () => {
    for (const line of exportText.split("\n"))
      decodeStateItem(fromWire((JSON.parse(line) as { Item: Item }).Item));
  });
  const sample = `${items.length} scored synthetic members`;
  const results: BenchResult[] = [
    {
      name: "analytics job: STATE item size with scores",
      value: mean(sizes),
      unit: "bytes",
      note: `mean of ${sample} (max ${Math.max(...sizes)} B; the scores add ${mean(scoresSizes)} B to the encoded state); empty recent-keys ring (a full one adds ≈ 150 B)`,
    },
    {
      name: "analytics job: decode rate, projected Scan items (JSON → member row)",
      value: Math.round(scanRate),
      unit: "members/s",
      note: `one core, ${sample}; JSON.parse, base64 → bytes, inflate + JSON.parse of the state, inputs`,
    },
    {
      name: "analytics job: decode rate, full STATE items as export lines",
      value: Math.round(exportRate),
      unit: "members/s",
      note: `one core, ${sample}; one DynamoDB-JSON line per item as in an S3 export, decoded as above (gunzip not included)`,
    },
  ];
  return { results, items };
}

const PROBE_MEMBERS = 200_000;

/** The fitted population figures next to the ones the synthetic members were drawn from. */
function fitNote(fit: AnalyticsSnapshot["fit"] | undefined): string {
  if (!fit) return "no fit stored";
  const { r, alpha, a, b, p, q, gamma } = SYNTHETIC_PARAMS;
  const f = (value: number) => value.toPrecision(3);
  const g = fit.gammaGamma;
  return (
    `fitted r/α=${f(fit.bgNbd.r / fit.bgNbd.alpha)} (drawn ${f(r / alpha)}), ` +
    `a/(a+b)=${f(fit.bgNbd.a / (fit.bgNbd.a + fit.bgNbd.b))} (drawn ${f(a / (a + b))}), ` +
    `mean order pγ/(q−1)=${f((g.p * g.gamma) / (g.q - 1))} (drawn ${f((p * gamma) / (q - 1))})`
  );
}

/** Runs in a child with --expose-gc: heap held per decoded member row, as the job keeps them between phases. */
function memoryProbe(): number {
  const scores = {
    segment: "loyal",
    recency: 3,
    frequency: 4,
    monetary: 4,
    probabilityAlive: 0.8123,
    expectedOrderValueMinor: 5230,
    clvMinor: 12345,
    scoredOn: "2025-06-01",
    modelVersion: "bgnbd-gg.v1.h52w.d0.1.m1@2025-06-01",
  };
  const members = syntheticMembers({ count: PROBE_MEMBERS, seed: 5, asOf: FIRST_NIGHT });
  const pages: string[] = [];
  for (let i = 0; i < members.length; i += 1000) {
    const items = members.slice(i, i + 1000).map(({ memberId, state }) => {
      const item: Item = {
        PK: { S: memberPk(memberId) },
        SK: { S: "STATE" },
        version: { N: "2" },
        [STATE_ATTRIBUTE]: stateAttribute({ ...state, scores }),
      };
      return projected(item);
    });
    // Export files hold binary attributes as base64 (DynamoDB JSON); decoding them is part of the cost.
    pages.push(
      JSON.stringify({ Items: items }, (_key, value) =>
        value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value,
      ),
    );
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = pages.flatMap((page) =>
    (JSON.parse(page) as { Items: Item[] }).Items.map((item) => {
      const encoded = item[STATE_ATTRIBUTE]?.B as unknown as string;
      return decodeStateItem({ ...item, [STATE_ATTRIBUTE]: { B: Buffer.from(encoded, "base64") } });
    }),
  );
  gc?.();
  const held = process.memoryUsage().heapUsed - before;
  return kept.length > 0 && pages.length > 0 ? held / kept.length : 0;
}

function runMemoryProbe(): number {
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", import.meta.filename, "--memory-probe"],
    { cwd: join(import.meta.dirname, "..", ".."), encoding: "utf8" },
  );
  if (child.status !== 0)
    throw new Error(`analytics-job memory probe failed: ${child.stderr || child.error?.message}`);
  return Number(child.stdout.trim());
}

export async function runAnalyticsJobBench(): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal({ port: 0 });
  const client = createDynamoClient({ endpoint: dynamo.endpoint, maxAttempts: 3 });
  try {
    const tableName = "patron-bench-analytics";
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
    const seeded = syntheticMembers({ count: MEMBERS, seed: 1, asOf: FIRST_NIGHT, withoutPurchases: 0.1 });
    await seedMembers(client, tableName, seeded, { profileEvery: 4, concurrency: 8 });

    const deps = {
      store: createAnalyticsStore({ client, tableName }),
      logger: createLogger({ logLevel: "WARN" }),
    };
    const night = (days: number): Promise<AnalyticsJobReport> =>
      runAnalyticsJob(deps, new Date(FIRST_NIGHT.getTime() + days * DAY_MS));
    const first = await night(0);
    const fit = (await deps.store.getLatest())?.fit;
    const again = await night(0);
    const nextDay = await night(1);
    const nextWeek = await night(8);
    const decoding = await decodeFigures(client, tableName);
    const kpis = await kpiFigures({
      client,
      tableName,
      items: decoding.items,
      report: first,
      night: FIRST_NIGHT,
    });

    const rate = first.members / (first.timingsMs.total / 1000);
    const t = first.timingsMs;
    const share = (report: AnalyticsJobReport) =>
      `${((report.written / report.customers) * 100).toFixed(1)}% of customers`;
    const phases = `scan ${t.scan} ms, fit ${t.fit} ms, score ${t.score} ms, write ${t.write} ms, KPIs ${t.kpis} ms`;
    const setup = `${MEMBERS.toLocaleString("en")} members (${first.customers.toLocaleString("en")} with purchases), DynamoDB Local, 8 scan segments, 16 concurrent writes`;
    return [
      {
        name: "analytics job: first night, scan → fit → score → write every score",
        value: t.total,
        unit: "ms",
        note: `${setup}; ${phases}; ${fitNote(fit)}`,
      },
      {
        name: "analytics job: members processed per second (first night)",
        value: Math.round(rate),
        unit: "members/s",
        note: "whole job incl. one conditional UpdateItem per customer; bound by DynamoDB Local's write latency, not the job (see the phase times above)",
      },
      {
        name: "analytics job: items read by the Scan",
        value: first.itemsRead,
        unit: "items",
        note: `${MEMBERS.toLocaleString("en")} STATE + ${(MEMBERS / 4).toLocaleString("en")} PROFILE items: the filter drops non-STATE items after they are read (and billed)`,
      },
      {
        name: "analytics job: scores written, first night",
        value: first.written,
        unit: "writes",
        note: share(first),
      },
      {
        name: "analytics job: scores written, same night again",
        value: again.written,
        unit: "writes",
        note: `nothing changed: ${again.timingsMs.total} ms without writes`,
      },
      {
        name: "analytics job: scores written, next night, no new purchases",
        value: nextDay.written,
        unit: "writes",
        note: `${share(nextDay)}; reasons ${JSON.stringify(nextDay.writesByReason)}`,
      },
      {
        name: "analytics job: scores written, a week later, no new purchases",
        value: nextWeek.written,
        unit: "writes",
        note: `${share(nextWeek)}; reasons ${JSON.stringify(nextWeek.writesByReason)}`,
      },
      ...decoding.results,
      ...kpis,
      {
        name: "analytics job: heap held per member between scan and write-back",
        value: Math.round(runMemoryProbe()),
        unit: "bytes",
        note: `${PROBE_MEMBERS.toLocaleString("en")} decoded member rows (id, version, inputs, stored scores) after a forced GC, fresh process; the model columns add ≈ 60 B`,
      },
    ];
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

if (import.meta.filename === process.argv[1] && process.argv.includes("--memory-probe")) {
  process.stdout.write(String(memoryProbe()));
} else if (import.meta.filename === process.argv[1]) {
  for (const result of await runAnalyticsJobBench()) {
    console.log(`${result.name}: ${result.value} ${result.unit}\n  ${result.note ?? ""}`);
  }
}
