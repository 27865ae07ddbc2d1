import { execFile } from "node:child_process";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { build } from "esbuild";
import { repoRoot } from "../../infra/patron-function";
import { createSimulatedClock } from "../local/clock";
import { type Platform, startPlatform } from "../local/platform";
import { replayEvents, yesterday } from "../replay/replay-events";
import { runReplay } from "../replay/run-replay";
import { replaySummary } from "../replay/summary";
import { syntheticPurchaseLog } from "../replay/synthetic-log";
import type { BenchResult } from "./types";

// The local platform end to end: a synthetic replay's events/s through the real SDK client, bus, handlers,
// DynamoDB Local and outbox, against raw single UpdateItem calls on the same DynamoDB Local in the same run.
// Then each Lambda's bundle, built as the CDK construct builds it, for size and cold import time against an
// empty handler.

const SYNTHETIC_MEMBERS = 1_000;
const IMPORT_RUNS = 7;
const BUNDLE_DIR = join(repoRoot, "node_modules", ".cache", "patron-bench-bundles");
// As infra/patron-function.ts: ESM output needs `require` back for a few CJS dependencies.
const REQUIRE_BANNER =
  "import { createRequire as __patronCreateRequire } from 'node:module';" +
  "const require = __patronCreateRequire(import.meta.url);";

// What the stack passes the functions; handlers parse their configuration at import (the cold start).
const LAMBDA_ENV = {
  AWS_REGION: "us-east-1",
  TABLE_NAME: "patron",
  EVENT_BUS_NAME: "patron",
  // An ARN only: the handlers fetch the secret on their first invocation, and the bench only imports them.
  SIGNING_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:000000000000:secret:patron-signing-AbCdEf",
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function rawUpdateItemsPerSecond(
  platform: Platform,
  count: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await platform.client.send(
        new UpdateItemCommand({
          TableName: platform.tableName,
          Key: { PK: { S: `BENCH#${i % 1000}` }, SK: { S: "COUNTER" } },
          UpdateExpression: "ADD n :one",
          ExpressionAttributeValues: { ":one": { N: "1" } },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - started) / 1000);
}

async function replayFigures(): Promise<BenchResult[]> {
  const endDay = yesterday(new Date());
  const events = replayEvents(syntheticPurchaseLog({ members: SYNTHETIC_MEMBERS, seed: 1, endDay }), {
    endDay,
  });
  // Platform time follows the log, as `npm run replay` does by default: on the real clock the time policy
  // would park most of a year's history as arrived-too-late and this would measure rejections. No jobs run.
  const clock = createSimulatedClock(new Date((events[0]?.at.getTime() ?? Date.now()) - 60_000));
  const platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    clock,
    handlerLogLevel: "SILENT",
    outboxPollIntervalMs: 50,
    jobs: [],
  });
  try {
    const run = await runReplay({ platform, events, speed: "max", clock });
    // A figure for rejected events would be a figure for nothing: every replayed event must be applied.
    const { eventsRejected } = await replaySummary(platform, run);
    if (eventsRejected.total > 0) throw new Error(`${eventsRejected.total} replayed events were rejected`);
    const replayRate = run.sent / (run.wallMs / 1000);
    // The bus delivers with 16 workers; the baseline gets the same concurrency.
    const rawRate = await rawUpdateItemsPerSecond(platform, run.sent, 16);
    return [
      {
        name: `Replay end to end (${SYNTHETIC_MEMBERS.toLocaleString("en-US")} synthetic members, ${run.sent.toLocaleString("en-US")} events)`,
        value: Math.round(replayRate),
        unit: "events/s",
        baseline: {
          name: "raw DynamoDB Local UpdateItem, 16 in flight",
          value: Math.round(rawRate),
          unit: "ops/s",
        },
        ratio: Number((replayRate / rawRate).toFixed(3)),
        note:
          "PutEvents via @aws-sdk/client-eventbridge → local bus → real handlers → DynamoDB Local, timed until the " +
          "bus is drained and the outbox has published; in-memory DynamoDB Local, same machine",
      },
    ];
  } finally {
    await platform.stop();
  }
}

async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    mainFields: ["module", "main"],
    banner: { js: REQUIRE_BANNER },
    minify: true,
    external: ["@aws-sdk/*"],
    logLevel: "silent",
  });
  return (await stat(outfile)).size;
}

async function coldImportMs(file: string): Promise<number> {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t))`;
  const times: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...LAMBDA_ENV },
    });
    times.push(Number(stdout));
  }
  return median(times);
}

async function bundleFigures(): Promise<BenchResult[]> {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await mkdir(BUNDLE_DIR, { recursive: true });
  const emptyEntry = join(BUNDLE_DIR, "empty-handler.ts");
  await writeFile(emptyEntry, "export const handler = async () => undefined;\n");
  const emptyFile = join(BUNDLE_DIR, "empty-handler.mjs");
  const emptySize = await bundle(emptyEntry, emptyFile);
  const emptyImport = await coldImportMs(emptyFile);
  const handlersDir = join(repoRoot, "functions", "handlers");
  const names = (await readdir(handlersDir)).filter((f) => f.endsWith(".ts")).map((f) => basename(f, ".ts"));
  const results: BenchResult[] = [];
  for (const name of names.sort()) {
    const outfile = join(BUNDLE_DIR, `${name}.mjs`);
    const size = await bundle(join(handlersDir, `${name}.ts`), outfile);
    const importMs = await coldImportMs(outfile);
    results.push(
      {
        name: `${name}: bundle size`,
        value: Math.round(size / 1024),
        unit: "KiB",
        baseline: { name: "empty handler", value: Number((emptySize / 1024).toFixed(2)), unit: "KiB" },
        ratio: Number((size / emptySize).toFixed(1)),
        note: "esbuild as the CDK construct: ESM, minified, node22, @aws-sdk/* external (provided by the runtime)",
      },
      {
        name: `${name}: cold import`,
        value: Number(importMs.toFixed(1)),
        unit: "ms",
        baseline: { name: "empty handler", value: Number(emptyImport.toFixed(1)), unit: "ms" },
        ratio: Number((importMs / emptyImport).toFixed(1)),
        note: `median of ${IMPORT_RUNS} fresh node processes importing the bundle (external @aws-sdk resolved from node_modules)`,
      },
    );
  }
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  return results;
}

export async function runReplayBench(): Promise<BenchResult[]> {
  return [...(await replayFigures()), ...(await bundleFigures())];
}
