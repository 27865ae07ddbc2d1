import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { createSimulatedClock } from "../local/clock";
import { type Platform, startPlatform } from "../local/platform";
import { replayEvents, yesterday } from "../replay/replay-events";
import { runReplay } from "../replay/run-replay";
import { replaySummary } from "../replay/summary";
import { syntheticPurchaseLog } from "../replay/synthetic-log";
import type { BenchResult } from "./types";

// The local platform end to end: a synthetic replay's events/s through the real SDK client, bus, handlers,
// DynamoDB Local and outbox, against raw single UpdateItem calls on the same DynamoDB Local in the same run.
// Each Lambda's bundle and cold start are measured in cold-start.ts.

const SYNTHETIC_MEMBERS = 1_000;
// Issue #15's end-to-end target, against raw UpdateItem of the same DynamoDB Local.
const REPLAY_TARGET = 0.3;

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
        target: `≥ ${REPLAY_TARGET} × raw UpdateItem`,
        meetsTarget: replayRate / rawRate >= REPLAY_TARGET,
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

export async function runReplayBench(): Promise<BenchResult[]> {
  return replayFigures();
}
