import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { lateArrivalDays } from "../../domain";
import { createProgramRepository } from "../../functions/adapters/dynamo/program-repository";
import { createReferralCodeRepository } from "../../functions/adapters/dynamo/referral-codes";
import type { SimulatedClock } from "../local/clock";
import type { Platform } from "../local/platform";
import type { ReplayEvent } from "./replay-events";

// Sends replay events through the real EventBridge client to the platform's bus, 10 per PutEvents, in time
// order. "max" sends as fast as the bus accepts with a bounded number of requests in flight; a factor
// replays the log's own timeline that many times faster than real time. With a simulated clock the
// platform's time follows the log, and each new day first lets the bus settle and the scheduled jobs (hourly
// retention, daily analytics) run.

export interface ReplayRunOptions {
  platform: Pick<Platform, "urls" | "settle" | "catchUpJobs" | "jobs" | "client" | "tableName">;
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

const MAX_ENTRIES = 10;
const DAY_MS = 86_400_000;

/** Half the late-arrival window of the program in effect when the log starts (at least a day). */
async function settleInterval(platform: ReplayRunOptions["platform"], at: Date): Promise<number> {
  const programs = createProgramRepository({ client: platform.client, tableName: platform.tableName });
  const program = await programs.inEffectAt(at);
  return program ? Math.max(1, Math.floor(lateArrivalDays(program) / 2)) : 1;
}
const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runReplay(options: ReplayRunOptions): Promise<ReplayRun> {
  const { events, clock } = options;
  const client = new EventBridgeClient({
    endpoint: options.platform.urls.bus,
    region: "us-east-1",
    credentials: { accessKeyId: "replay", secretAccessKey: "replay" },
    // The bus answers ThrottlingException while its queue is full; the SDK backs off and retries.
    maxAttempts: 20,
  });
  const maxInFlight = options.maxInFlight ?? 8;
  const inFlight = new Set<Promise<void>>();
  const run: ReplayRun = { sent: 0, failedEntries: 0, requests: 0, wallMs: 0, jobRuns: {} };
  const catchUpJobs = async () => {
    for (const job of await options.platform.catchUpJobs()) {
      const counts = run.jobRuns[job.name] ?? { runs: 0, failed: 0 };
      counts.runs += 1;
      if (job.error !== undefined) counts.failed += 1;
      run.jobRuns[job.name] = counts;
    }
  };
  // A referred enrolment carries its referrer's code, made as GET /me/referral would make it (once per member).
  const codes = createReferralCodeRepository({
    client: options.platform.client,
    tableName: options.platform.tableName,
  });
  const entryOf = async (event: ReplayEvent) => {
    if (event.referrerId === undefined) return event.entry;
    const detail = {
      ...JSON.parse(event.entry.Detail ?? "{}"),
      referralCode: await codes.referralCode(event.referrerId),
    };
    return { ...event.entry, Detail: JSON.stringify(detail) };
  };
  const first = events[0];
  const started = performance.now();
  // Settling per simulated day only matters to the jobs; without any it would just slow the replay down. But
  // the clock must never run so far ahead of queued events that the time policy finds them late: settle at
  // least every half late window.
  const settleDaily = options.platform.jobs.names().length > 0;
  const settleEveryDays = clock && first ? await settleInterval(options.platform, first.at) : Infinity;
  let settledDay = first ? Date.parse(dayOf(first.at)) : 0;
  const drainRequests = async () => {
    await Promise.all(inFlight);
  };
  try {
    let i = 0;
    while (i < events.length) {
      const head = events[i] as ReplayEvent;
      if (clock && dayOf(head.at) !== dayOf(clock.now())) {
        const headDay = Date.parse(dayOf(head.at));
        if (settleDaily || headDay - settledDay >= settleEveryDays * DAY_MS) {
          await drainRequests();
          await options.platform.settle();
          settledDay = headDay;
        }
        clock.advanceTo(new Date(`${dayOf(head.at)}T00:00:00Z`));
        await catchUpJobs();
      }
      // A batch never spans two days, so day boundaries are batch boundaries.
      const batch: ReplayEvent[] = [];
      while (
        batch.length < MAX_ENTRIES &&
        i < events.length &&
        dayOf((events[i] as ReplayEvent).at) === dayOf(head.at) &&
        // A referred enrolment goes alone (see below).
        (batch.length === 0 ||
          (head.referrerId === undefined && (events[i] as ReplayEvent).referrerId === undefined))
      )
        batch.push(events[i++] as ReplayEvent);
      if (typeof options.speed === "number" && first) {
        const dueMs = (head.at.getTime() - first.at.getTime()) / options.speed;
        const waitMs = dueMs - (performance.now() - started);
        if (waitMs > 0) await sleep(waitMs);
      }
      clock?.advanceTo((batch.at(-1) as ReplayEvent).at);
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      const entries = await Promise.all(batch.map(entryOf));
      const request = client.send(new PutEventsCommand({ Entries: entries })).then((response) => {
        run.requests += 1;
        run.sent += batch.length;
        run.failedEntries += response.FailedEntryCount ?? 0;
        options.onProgress?.(run.sent, events.length, head.at);
      });
      const tracked = request.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      // A referral links a new member only: their enrolment must be applied before the purchase that follows
      // it, which the bus's concurrent deliveries would not otherwise ensure.
      if (head.referrerId !== undefined) {
        await drainRequests();
        await options.platform.settle();
      }
    }
    await drainRequests();
    await options.platform.settle();
    if (clock) {
      // Let the simulated time catch up with the present, running the jobs of the log's last days.
      const end = options.endAt ?? new Date();
      if (end > clock.now()) clock.advanceTo(end);
      await catchUpJobs();
      await options.platform.settle();
    }
  } finally {
    client.destroy();
  }
  run.wallMs = performance.now() - started;
  return run;
}
