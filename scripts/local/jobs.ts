import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import { createEventPublisher } from "../../functions/adapters/bus/event-publisher";
import { tableEventParking } from "../../functions/adapters/bus/parked-events";
import { createMemberRepository } from "../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../functions/adapters/dynamo/program-repository";
import { createSesMailer } from "../../functions/adapters/ses/mailer";
import { createAnalyticsStore } from "../../functions/analytics/analytics-store";
import { programKpiSettings } from "../../functions/analytics/job-kpis";
import { createAnalyticsJobHandler } from "../../functions/handlers/analytics-job";
import { createRetentionJobHandler } from "../../functions/handlers/retention-job";
import { createTokenSigner } from "../../functions/http/signed-token";
import { createMessageStore } from "../../functions/retention/message-store";
import type { Logger } from "../../functions/shared/logger";
import { functionSpecs, type ScheduleTime } from "../../infra/function-specs";
import type { PlatformClock } from "./clock";
import { localLambdaContext } from "./consumers";
import type { BusLogger } from "./event-bus/delivery-queue";
import { LOCAL_SIGNING_SECRET } from "./http-api/local-jwt";

// Scheduled jobs of the local platform. Each runs at the UTC times infra/function-specs.ts gives its
// EventBridge Scheduler cron in AWS, whenever the platform clock (real or simulated) passes one,
// and on demand (`npm run job -- <name>`).

export interface JobContext {
  client: DynamoDBClient;
  tableName: string;
  /** SESv2 client pointed at SES local. */
  ses: SESv2Client;
  /** EventBridge client pointed at the local bus. */
  eventBridge: EventBridgeClient;
  eventBusName: string;
  /** Base URL of the local HTTP API, for links in e-mails; known once the API listens, before any job runs. */
  publicApiUrl: () => string;
  clock: PlatformClock;
  logger: BusLogger;
  /** A logger for the job's handler, at the platform's handler log level. */
  newLogger: () => Logger;
}

export interface LocalJob {
  /** The function spec's name, e.g. "retention-job". */
  name: string;
  /**
   * Runs the job as of `at` with `event` as its Lambda event (the Scheduler's `{"job": name}` unless a caller
   * gives another, e.g. the retention job's `{"members": [...]}`); the result is its report.
   */
  run(at: Date, event: unknown): Promise<unknown>;
}

export type LocalJobFactory = (context: JobContext) => LocalJob;

/** The From address of the local platform's e-mails (SES local accepts any). */
const LOCAL_SENDER_ADDRESS = "loyalty@patron.local";

/**
 * The jobs the local platform runs. Adding one is one line: its factory here. Jobs whose handler does not
 * exist yet (see infra/function-specs.ts) are simply absent.
 */
export const localJobFactories: readonly LocalJobFactory[] = [
  (ctx) => ({
    name: "analytics-job",
    run: (at, event) =>
      createAnalyticsJobHandler(
        {
          store: createAnalyticsStore({ client: ctx.client, tableName: ctx.tableName }),
          logger: ctx.newLogger(),
          kpiSettings: programKpiSettings(
            createProgramRepository({ client: ctx.client, tableName: ctx.tableName }),
          ),
        },
        () => at,
      )(event, localLambdaContext("patron-analytics-job-local", `analytics-${at.toISOString()}`)),
  }),
  (ctx) => ({
    name: "retention-job",
    run: (at, event) =>
      createRetentionJobHandler(
        {
          members: createMemberRepository({ client: ctx.client, tableName: ctx.tableName, clock: () => at }),
          messages: createMessageStore({ client: ctx.client, tableName: ctx.tableName }),
          programs: createProgramRepository({ client: ctx.client, tableName: ctx.tableName }),
          mailer: createSesMailer({ client: ctx.ses, senderAddress: LOCAL_SENDER_ADDRESS }),
          publisher: createEventPublisher({ client: ctx.eventBridge, eventBusName: ctx.eventBusName }),
          parking: tableEventParking({ client: ctx.client, tableName: ctx.tableName }),
          // The HTTP API's secret, so the unsubscribe links in the e-mails verify there.
          signer: createTokenSigner(LOCAL_SIGNING_SECRET),
          publicApiUrl: ctx.publicApiUrl(),
          logger: ctx.newLogger(),
        },
        () => at,
      )(event, localLambdaContext("patron-retention-job-local", `retention-${at.toISOString()}`)),
  }),
];

/** The job's schedule from its function spec, so local and deployed schedules cannot drift apart. */
export function scheduleOf(name: string): ScheduleTime {
  const spec = functionSpecs.find((s) => s.name === name);
  if (spec?.trigger.kind !== "schedule")
    throw new Error(`job "${name}" has no schedule in infra/function-specs.ts`);
  return spec.trigger.at;
}

export interface ScheduledRun {
  name: string;
  at: Date;
  /** Set when the run failed (it is logged too). */
  error?: string;
}

const HOUR_MS = 3_600_000;

/** Scheduled runs with from < at <= to, in time order (jobs due at the same time in registration order). */
export function dueRuns(
  jobs: ReadonlyArray<{ name: string; at: ScheduleTime }>,
  from: Date,
  to: Date,
): ScheduledRun[] {
  const runs: ScheduledRun[] = [];
  const firstHour = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS;
  for (let hour = firstHour; hour <= to.getTime(); hour += HOUR_MS) {
    for (const job of jobs) {
      if (job.at.hour !== undefined && job.at.hour !== new Date(hour).getUTCHours()) continue;
      const at = hour + job.at.minute * 60_000;
      if (at > from.getTime() && at <= to.getTime()) runs.push({ name: job.name, at: new Date(at) });
    }
  }
  return runs;
}

/**
 * A run as of a time after the platform's clock, refused unless forced: the platform cannot take it back.
 * A retention run marks every due day up to then as done (members filed for those days are never checked
 * again), releases pending points and expires points early, and writes ledger entries dated in the future.
 */
export class FutureJobRunRefused extends Error {
  constructor(name: string, at: Date, clock: PlatformClock) {
    super(
      `refusing to run ${name} as of ${at.toISOString()}: that is after the platform's clock ` +
        `(${clock.now().toISOString()}, ${clock.mode} time), and such a run cannot be undone on this platform — ` +
        "a retention run counts every due day up to then as done (members filed for them are never checked), " +
        "settles pending points early and writes future-dated expire entries. Pick a time up to now, replay a " +
        "log (npm run replay: a platform and clock of its own), or add --force to do it anyway.",
    );
    this.name = "FutureJobRunRefused";
  }
}

export interface JobRunner {
  names(): string[];
  /**
   * Runs one job now (or as of `at`); unknown names fail with the list of known ones, and a time after the
   * platform's clock with FutureJobRunRefused unless `force` is set. `event` replaces the scheduled run's.
   */
  run(name: string, at?: Date, options?: { force?: boolean; event?: unknown }): Promise<unknown>;
  /** Runs every scheduled run the clock passed since the last call, one after another; failed ones say why. */
  catchUp(to: Date): Promise<ScheduledRun[]>;
}

export function createJobRunner(options: {
  jobs: readonly LocalJob[];
  clock: PlatformClock;
  logger: BusLogger;
}): JobRunner {
  const byName = new Map(options.jobs.map((job) => [job.name, job]));
  const scheduled = options.jobs.map((job) => ({ name: job.name, at: scheduleOf(job.name) }));
  let lastTick = options.clock.now();
  // One job at a time, whether scheduled or on demand, as if each had reserved concurrency 1.
  let queue: Promise<unknown> = Promise.resolve();

  // What EventBridge Scheduler sends the job's function (infra/triggers.ts).
  const runNow = (job: LocalJob, at: Date, event: unknown = { job: job.name }): Promise<unknown> => {
    const result = queue.then(async () => {
      const started = Date.now();
      const report = await job.run(at, event);
      options.logger.info("job finished", { job: job.name, at: at.toISOString(), ms: Date.now() - started });
      return report;
    });
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    names: () => [...byName.keys()],
    run(name, at, { force = false, event } = {}) {
      const job = byName.get(name);
      if (!job) {
        const known =
          byName.size === 0 ? "none are registered" : `known jobs: ${[...byName.keys()].join(", ")}`;
        return Promise.reject(new Error(`unknown job "${name}" (${known})`));
      }
      if (at !== undefined && at > options.clock.now() && !force)
        return Promise.reject(new FutureJobRunRefused(name, at, options.clock));
      return runNow(job, at ?? options.clock.now(), event);
    },
    async catchUp(to) {
      const runs = dueRuns(scheduled, lastTick, to);
      lastTick = to;
      for (const run of runs) {
        try {
          await runNow(byName.get(run.name) as LocalJob, run.at);
        } catch (error) {
          // A failed run is logged and the schedule goes on, as Scheduler would retry then give up.
          run.error = String(error);
          options.logger.error("job failed", { job: run.name, at: run.at.toISOString(), error: run.error });
        }
      }
      return runs;
    },
  };
}
