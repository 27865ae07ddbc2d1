import { EventBridgeClient, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { lateArrivalDays } from "../../domain";
import { createProgramRepository } from "../../functions/adapters/dynamo/program-repository";
import { createReferralCodeRepository } from "../../functions/adapters/dynamo/referral-codes";
import { withoutSdkLogger } from "../../functions/shared/sdk-logger";
import type { SimulatedClock } from "../local/clock";
import type { Platform } from "../local/platform";
import { createBatchSender } from "./batch-sender";
import type { ReplayEvent } from "./replay-events";
import { createUnfinished } from "./unfinished-events";

// Sends replay events through the real EventBridge client to the platform's bus, 10 per PutEvents, in time
// order but for a member's event waiting on that member's previous one. "max" sends as fast as the bus accepts
// with a bounded number of requests in flight; a factor replays the log's own timeline that many times faster
// than real time. With a simulated clock the platform's time follows the log, and with scheduled jobs each new
// day first lets the bus settle and the jobs (hourly retention, daily analytics) run.

export interface ReplayRunOptions {
  platform: Pick<
    Platform,
    "urls" | "settle" | "catchUpJobs" | "jobs" | "client" | "tableName" | "bus" | "handlesAtEventTime"
  >;
  events: readonly ReplayEvent[];
  speed: "max" | number;
  clock?: SimulatedClock;
  /** PutEvents requests in flight at once (default 8). */
  maxInFlight?: number;
  onProgress?: (sent: number, total: number, at: Date) => void;
  /** Real time now, for ending a simulated run (default: the wall clock). */
  endAt?: Date;
}

export interface ReplayRun {
  sent: number;
  failedEntries: number;
  requests: number;
  wallMs: number;
  /** Scheduled job runs the simulated clock passed, per job (none on the real clock). */
  jobRuns: Record<string, { runs: number; failed: number }>;
}

const DAY_MS = 86_400_000;
/** Events sent or waiting for their member's previous one, and not yet delivered: enough to keep the bus busy. */
const MAX_UNFINISHED = 512;

/** Half the late-arrival window of the program in effect when the log starts (at least a day). */
async function settleInterval(platform: ReplayRunOptions["platform"], at: Date): Promise<number> {
  const programs = createProgramRepository({ client: platform.client, tableName: platform.tableName });
  const program = await programs.inEffectAt(at);
  return program ? Math.max(1, Math.floor(lateArrivalDays(program) / 2)) : 1;
}
const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The members an event must wait for: its own, and for a referred enrolment the referrer's. */
function membersOf(event: ReplayEvent): string[] {
  const { memberId } = JSON.parse(event.entry.Detail ?? "{}") as { memberId?: string };
  return [memberId, event.referrerId].filter((id): id is string => id !== undefined);
}

export async function runReplay(options: ReplayRunOptions): Promise<ReplayRun> {
  const { events, clock, platform } = options;
  // A producer's client: in this process, so its logger middleware would weigh on the platform it measures.
  const client = withoutSdkLogger(
    new EventBridgeClient({
      endpoint: platform.urls.bus,
      region: "us-east-1",
      credentials: { accessKeyId: "replay", secretAccessKey: "replay" },
      // The bus answers ThrottlingException while its queue is full; the SDK backs off and retries.
      maxAttempts: 20,
    }),
  );
  const run: ReplayRun = { sent: 0, failedEntries: 0, requests: 0, wallMs: 0, jobRuns: {} };
  const catchUpJobs = async () => {
    for (const job of await platform.catchUpJobs()) {
      const counts = run.jobRuns[job.name] ?? { runs: 0, failed: 0 };
      counts.runs += 1;
      if (job.error !== undefined) counts.failed += 1;
      run.jobRuns[job.name] = counts;
    }
  };
  // A referred enrolment carries its referrer's code, made as GET /me/referral would make it (once per member).
  const codes = createReferralCodeRepository({ client: platform.client, tableName: platform.tableName });
  const entryOf = async (event: ReplayEvent): Promise<PutEventsRequestEntry> => {
    // Time is when it happened: a platform that handles deliveries at their event's time reads it.
    const entry = { ...event.entry, Time: event.at };
    if (event.referrerId === undefined) return entry;
    const detail = {
      ...JSON.parse(event.entry.Detail ?? "{}"),
      referralCode: await codes.referralCode(event.referrerId),
    };
    return { ...entry, Detail: JSON.stringify(detail) };
  };
  const sender = createBatchSender({
    client,
    maxInFlight: options.maxInFlight ?? 8,
    onResponse: (sent, failed, last) => {
      run.requests += 1;
      run.sent += sent;
      run.failedEntries += failed;
      options.onProgress?.(run.sent, events.length, last.at);
    },
  });
  const first = events[0];
  const started = performance.now();
  // Settling per simulated day only matters to the jobs; without any it would just slow the replay down. A
  // platform that handles each event at its own time needs no other settle; on one that handles them at the
  // clock's time, the clock must never run so far ahead of queued events that the time policy finds them
  // late: settle at least every half late window.
  const settleDaily = platform.jobs.names().length > 0;
  const settleEveryDays =
    clock && first && !platform.handlesAtEventTime ? await settleInterval(platform, first.at) : Infinity;
  let settledDay = first ? Date.parse(dayOf(first.at)) : 0;
  // Each member's events are sent in order, each once the one before it was delivered (an enrolment before
  // the purchase that follows it; a referred enrolment after its referrer's events), which the bus's
  // concurrent deliveries would not otherwise ensure. Other members' events flow past a waiting one.
  const latest = new Map<string, Promise<void>>();
  const unfinished = createUnfinished(MAX_UNFINISHED);
  let failure: unknown;
  const finishAll = async () => {
    await unfinished.all();
    if (failure !== undefined || sender.failure() !== undefined) throw failure ?? sender.failure();
  };
  try {
    for (const event of events) {
      if (clock && dayOf(event.at) !== dayOf(clock.now())) {
        const day = Date.parse(dayOf(event.at));
        if (settleDaily || day - settledDay >= settleEveryDays * DAY_MS) {
          await finishAll();
          await platform.settle();
          settledDay = day;
        }
        clock.advanceTo(new Date(`${dayOf(event.at)}T00:00:00Z`));
        await catchUpJobs();
      }
      if (typeof options.speed === "number" && first) {
        const dueMs = (event.at.getTime() - first.at.getTime()) / options.speed;
        const waitMs = dueMs - (performance.now() - started);
        if (waitMs > 0) await sleep(waitMs);
      }
      await unfinished.room();
      if (failure !== undefined) throw failure;
      clock?.advanceTo(event.at);
      const members = membersOf(event);
      const before = members.flatMap((id) => latest.get(id) ?? []);
      const done: Promise<void> = Promise.all(before)
        .then(() => entryOf(event))
        .then((entry) => sender.send(event, entry))
        .then((eventId) => (eventId === undefined ? undefined : platform.bus.delivered(eventId)))
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          for (const id of members) if (latest.get(id) === done) latest.delete(id);
        });
      unfinished.add(done);
      for (const id of members) latest.set(id, done);
    }
    await finishAll();
    await platform.settle();
    if (clock) {
      // Let the simulated time catch up with the present, running the jobs of the log's last days.
      const end = options.endAt ?? new Date();
      if (end > clock.now()) clock.advanceTo(end);
      await catchUpJobs();
      await platform.settle();
    }
  } finally {
    client.destroy();
  }
  run.wallMs = performance.now() - started;
  return run;
}
