import {
  CreateTableCommand,
  type DynamoDBClient,
  UpdateItemCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { createTableInput } from "../../infra/table-definition";
import { createSimulatedClock } from "../local/clock";
import { replayEvents, yesterday } from "../replay/replay-events";
import { startReplayPlatform } from "../replay/replay-platform";
import { runReplay } from "../replay/run-replay";
import { replaySummary } from "../replay/summary";
import { syntheticPurchaseLog } from "../replay/synthetic-log";
import { measureCeiling } from "./replay-ceiling";
import { dynamoLocalCpu, profileReplay } from "./replay-profile";
import { BATCH, BUS_CONCURRENCY, ceilingFigures, fixed, REPLAY_TARGET } from "./replay-report";
import { median, perSecond } from "./rounds";
import type { BenchResult } from "./types";

// The local platform end to end: a synthetic replay's events/s through the real SDK client, bus, handlers,
// DynamoDB Local and outbox, against raw single UpdateItem calls on the same DynamoDB Local in the same run; then
// where its time went (replay-profile.ts) and the storage ceiling of its event mix (replay-ceiling.ts), so the
// figure says how much of the gap to the target is the design's storage pattern and how much the pipeline.
// Each Lambda's bundle and cold start are measured in cold-start.ts.

const SYNTHETIC_MEMBERS = 1_000;
const CEILING_ROUNDS = 3;
const WARM_UP_ITEM_BYTES = {
  "PutItem STATE": 240,
  "PutItem PROFILE": 570,
  "TransactWriteItems STATE": 380,
  "TransactWriteItems KEY": 200,
  "TransactWriteItems LEDGER": 850,
};

// The baseline's rounds: a single short burst after the replay swung by a third between runs of the same code,
// and the ratio with it, so it is the median of rounds on both sides of the replay (each round's ratio is shown).
const RAW_ROUNDS_EACH_SIDE = 3;
const WARM_UP_ROUNDS = 3;
const RAW_ROUND_UPDATES = 2_000;

/**
 * A table like the platform's without its stream, for the warm-up and the raw rounds: stream records they left
 * behind would slow the replay that follows (TableInputOptions.stream), by more the longer they ran; a raw
 * UpdateItem is also faster without a stream, so the baseline is the stricter for it.
 */
async function streamlessTable(client: DynamoDBClient): Promise<string> {
  const tableName = "patron-bench-side";
  await client.send(new CreateTableCommand(createTableInput(tableName, { stream: false })));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  return tableName;
}

/** Rates of raw single UpdateItems on a table without a stream, `RAW_ROUNDS_EACH_SIDE` rounds, 16 in flight. */
async function rawUpdateItemRounds(client: DynamoDBClient, tableName: string): Promise<number[]> {
  const rates: number[] = [];
  for (let round = 0; round < RAW_ROUNDS_EACH_SIDE; round += 1)
    rates.push(
      await perSecond(
        RAW_ROUND_UPDATES,
        (i) =>
          client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: { PK: { S: `BENCH#${i % 1000}` }, SK: { S: "COUNTER" } },
              UpdateExpression: "ADD n :one",
              ExpressionAttributeValues: { ":one": { N: "1" } },
            }),
          ),
        BUS_CONCURRENCY,
      ),
    );
  return rates;
}

async function replayFigures(): Promise<BenchResult[]> {
  const endDay = yesterday(new Date());
  const events = replayEvents(syntheticPurchaseLog({ members: SYNTHETIC_MEMBERS, seed: 1, endDay }), {
    endDay,
  });
  // Platform time follows the log, as `npm run replay` does by default: on the real clock the time policy
  // would park most of a year's history as arrived-too-late and this would measure rejections. No jobs run.
  const clock = createSimulatedClock(new Date((events[0]?.at.getTime() ?? Date.now()) - 60_000));
  const platform = await startReplayPlatform(clock);
  try {
    // DynamoDB Local (C1 only, DYNAMO_LOCAL_JVM_OPTIONS) and this process speed up over their first requests;
    // the baseline and ceiling rounds run on a warm server, so the replay does too. After one pass of its mix's
    // bare requests the raw rounds before the replay were still rising round by round, and the replay was slower
    // than after three. Item sizes as the replay writes them.
    const side = await streamlessTable(platform.client);
    await measureCeiling({
      client: platform.client,
      tableName: side,
      events,
      itemBytes: WARM_UP_ITEM_BYTES,
      concurrency: BUS_CONCURRENCY,
      rounds: WARM_UP_ROUNDS,
      keyPrefix: "WARMUP#",
    });
    const rawBefore = await rawUpdateItemRounds(platform.client, side);
    // Nothing of the set-up left in flight when the clock starts.
    await platform.settle();
    const idleDynamoCpu = await idleCpuShare(platform.urls.dynamodb);
    const profiler = profileReplay(platform);
    const run = await runReplay({ platform, events, speed: "max", clock });
    const profile = profiler.stop();
    // A figure for rejected events would be a figure for nothing: every replayed event must be applied.
    const { eventsRejected } = await replaySummary(platform, run);
    if (eventsRejected.total > 0) throw new Error(`${eventsRejected.total} replayed events were rejected`);
    const replayRate = run.sent / (run.wallMs / 1000);
    // The bus delivers with 16 workers; the baseline gets the same concurrency.
    const rawRounds = [...rawBefore, ...(await rawUpdateItemRounds(platform.client, side))];
    const rawRate = median(rawRounds);
    const cpu = dynamoLocalCpu(platform.urls.dynamodb);
    // Beside it, two designs that keep every event's exactly-once items: skip the member read (a warm cache), or
    // commit events in batches.
    const ceiling = await measureCeiling({
      client: platform.client,
      tableName: platform.tableName,
      events,
      rawTableName: side,
      itemBytes: profile.itemBytes,
      concurrency: BUS_CONCURRENCY,
      rounds: CEILING_ROUNDS,
      writesOnly: true,
      batch: BATCH,
      ...(cpu && { dynamoCpu: cpu }),
    });
    const replayRatio = replayRate / rawRate;
    return [
      {
        name: `Replay end to end (${SYNTHETIC_MEMBERS.toLocaleString("en-US")} synthetic members, ${run.sent.toLocaleString("en-US")} events)`,
        value: Math.round(replayRate),
        unit: "events/s",
        target: `≥ ${REPLAY_TARGET} × raw UpdateItem`,
        meetsTarget: replayRate / rawRate >= REPLAY_TARGET,
        baseline: {
          name: "raw DynamoDB Local UpdateItem, no stream, 16 in flight",
          value: Math.round(rawRate),
          unit: "ops/s",
        },
        ratio: Number((replayRate / rawRate).toFixed(3)),
        note:
          "PutEvents via @aws-sdk/client-eventbridge → local bus → real handlers → DynamoDB Local, timed until the " +
          "bus is drained and the outbox has published; in-memory DynamoDB Local, same machine, warmed first by " +
          `${WARM_UP_ROUNDS} passes of the mix's bare requests (its baseline and ceiling run on a warm server too); the warm-up and ` +
          "the baseline write to a table without a stream, since DynamoDB Local scans every stream record it kept on each " +
          "write to a table with one (their records would slow the replay; a raw UpdateItem runs faster without); the baseline is " +
          `the median of ${rawRounds.length} rounds of ${RAW_ROUND_UPDATES.toLocaleString("en-US")} UpdateItems, ` +
          `${RAW_ROUNDS_EACH_SIDE} before the replay and ${RAW_ROUNDS_EACH_SIDE} after ` +
          `(${rawRounds.map((r) => Math.round(r)).join(", ")} ops/s: against them the replay is ` +
          `${rawRounds.map((r) => fixed(replayRate / r, 3)).join(", ")}×)`,
      },
      ...ceilingFigures({
        replayRatio,
        ceiling,
        profile,
        events: run.sent,
        purchases: events.filter((event) => event.entry.DetailType === "Purchase Completed").length,
        idleDynamoCpu,
      }),
    ];
  } finally {
    await platform.stop();
  }
}

const IDLE_SAMPLE_MS = 3_000;

/** DynamoDB Local's CPU, as a share of one core, while the platform idles (its outbox still polls the stream). */
async function idleCpuShare(endpoint: string): Promise<number | undefined> {
  const cpu = dynamoLocalCpu(endpoint);
  if (!cpu) return undefined;
  const before = cpu();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
  return (cpu() - before) / (performance.now() - started);
}

export async function runReplayBench(): Promise<BenchResult[]> {
  return replayFigures();
}
