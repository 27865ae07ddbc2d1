import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { createEventPublisher } from "../../functions/adapters/bus/event-publisher";
import { tableRejectedEventSink } from "../../functions/adapters/bus/rejected-events";
import { type StreamPoller, startStreamPoller } from "../../functions/adapters/bus/stream-poller";
import { createDynamoClient } from "../../functions/adapters/dynamo/client";
import { createMemberRepository } from "../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../functions/adapters/dynamo/program-repository";
import { createSesClient } from "../../functions/adapters/ses/mailer";
import { createOutboxPublisherHandler } from "../../functions/handlers/outbox-publisher";
import type { ConsumerDeps } from "../../functions/shared/event-consumer";
import { createLogger } from "../../functions/shared/logger";
import { createMetrics } from "../../functions/shared/metrics";
import { withoutSdkLogger } from "../../functions/shared/sdk-logger";
import { defaultProducers, producerSourcePatterns, refundAuthoritySources } from "../../infra/config";
import { TABLE_DEFINITION } from "../../infra/table-definition";
import { type PlatformClock, realClock } from "./clock";
import { createConsoleRoutes } from "./console-site";
import { atEventTimes, createOutboundCounter, localBusRules, localLambdaContext } from "./consumers";
import { startDynamoLocal } from "./dynamo-local";
import type { BusLogger } from "./event-bus/delivery-queue";
import { createLocalEventBus, type LocalEventBus } from "./event-bus/local-event-bus";
import { createLocalGrantStarter } from "./grant-starter";
import { startPatronHttpApi } from "./http-api/patron-http-api";
import {
  createJobRunner,
  type JobContext,
  type JobRunner,
  type LocalJobFactory,
  localJobFactories,
  type ScheduledRun,
} from "./jobs";
import { createLocalRoutes } from "./local-routes";
import { assertPortsFree, type PlatformPorts } from "./ports";
import { type SesLocal, startSesLocal } from "./ses-local";
import { ensureTable, seedExampleProgram } from "./table";

// The whole of Patron on one machine: DynamoDB Local, SES local, the local EventBridge routing to the
// real handlers, the outbox poller publishing Patron's events back to the bus, the scheduled jobs and the
// HTTP API. Used by `npm start`, the replay, the end-to-end test and the benchmarks.

export type HandlerLogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";

export interface PlatformOptions {
  /** 0 anywhere picks a free port (tests). */
  ports: PlatformPorts;
  /** Persist DynamoDB Local's data here; in memory when absent. */
  dataDir?: string;
  clock?: PlatformClock;
  /** Platform messages (startup, retries, dead letters, job runs). */
  log?: BusLogger;
  /** Level of the handlers' own structured logs (stdout). */
  handlerLogLevel?: HandlerLogLevel;
  tableName?: string;
  /** Jobs to run; the registry in jobs.ts by default. */
  jobs?: readonly LocalJobFactory[];
  /** How often the real clock checks for due scheduled jobs. */
  scheduleIntervalMs?: number;
  bus?: { maxAttempts?: number; baseDelayMs?: number; concurrency?: number };
  /** How often the outbox poller reads the table stream when idle (default 200 ms). */
  outboxPollIntervalMs?: number;
  /** A console build (console-site.ts) to serve at /console/ on the API's origin. */
  consoleDir?: string;
  /**
   * With a simulated clock: each delivery is handled at its event's time (the PutEvents entry's Time) when that
   * lies before the clock, as if handled on arrival, so how far the queue lags behind the clock changes nothing.
   * A replay sets each entry's Time to when it happened; events without one (the outbox's) run at the clock.
   */
  handleAtEventTime?: boolean;
}

export interface Platform {
  urls: { api: string; bus: string; ses: string; dynamodb: string; console?: string };
  tableName: string;
  /** A client for DynamoDB Local (reads for reports and benchmarks). */
  client: DynamoDBClient;
  clock: PlatformClock;
  bus: LocalEventBus;
  jobs: JobRunner;
  /** Patron's outbound events published so far, by detail-type. */
  outboundCounts(): Record<string, number>;
  /** Whether deliveries are handled at their events' times (PlatformOptions.handleAtEventTime). */
  handlesAtEventTime: boolean;
  /** Resolves once the bus has no delivery left and the outbox has published every committed event. */
  settle(): Promise<void>;
  /**
   * Runs the scheduled jobs the clock has passed since the last call (simulated clocks call it as they move);
   * resolves with the runs made, failed ones included (those are logged).
   */
  catchUpJobs(): Promise<ScheduledRun[]>;
  health(): Promise<{ ok: boolean; checks: Record<string, { ok: boolean; detail?: string }> }>;
  stop(): Promise<void>;
}

const silent: BusLogger = { info() {}, warn() {}, error() {} };
const EVENT_BUS_NAME = "patron-local";
const LOCAL_AWS = {
  region: "us-east-1",
  credentials: { accessKeyId: "patronlocal", secretAccessKey: "patronlocal" },
};

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const log = options.log ?? silent;
  const clock = options.clock ?? realClock;
  const tableName = options.tableName ?? TABLE_DEFINITION.defaultName;
  // In AWS metrics are EMF lines for CloudWatch; locally they would only flood stdout.
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  // The HTTP API handler builds its own logger, which (as in Lambda) takes its level from the environment.
  process.env.POWERTOOLS_LOG_LEVEL ??= options.handlerLogLevel ?? "WARN";
  await assertPortsFree(options.ports);

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse())
      await stop().catch((e) => log.error("stop failed", { error: String(e) }));
  };
  try {
    const dynamo = await startDynamoLocal({
      port: options.ports.dynamodb,
      ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    });
    stops.push(dynamo.stop);
    const client = createDynamoClient({ endpoint: dynamo.endpoint });
    stops.push(async () => client.destroy());
    const table = await ensureTable(client, tableName);
    const seed = await seedExampleProgram(client, tableName);
    log.info("table ready", { tableName, table, programVersion: seed.version, seeded: seed.seeded });

    const ses: SesLocal = await startSesLocal({ port: options.ports.ses });
    stops.push(ses.stop);

    const programs = createProgramRepository({ client, tableName });
    const newLogger = () => createLogger({ logLevel: options.handlerLogLevel ?? "WARN" });
    const handlesAtEventTime = options.handleAtEventTime === true && clock.mode === "simulated";
    const eventTime = new AsyncLocalStorage<Date>();
    const handlerClock = () => eventTime.getStore() ?? clock.now();
    const deps: Omit<ConsumerDeps, "logger"> = {
      members: createMemberRepository({ client, tableName, clock: handlerClock }),
      programs,
      clock: handlerClock,
      metrics: createMetrics(),
      rejected: tableRejectedEventSink({ client, tableName }),
      refundLookbackDays: 400,
      refundAuthoritySources: refundAuthoritySources(defaultProducers),
      producerSources: producerSourcePatterns(defaultProducers),
    };
    const outbound = createOutboundCounter();
    const rules = localBusRules(deps, newLogger, [outbound.rule]);
    const bus = await createLocalEventBus({
      port: options.ports.bus,
      rules: handlesAtEventTime ? atEventTimes(rules, clock, eventTime) : rules,
      producers: defaultProducers,
      retry: { maxAttempts: options.bus?.maxAttempts ?? 3, baseDelayMs: options.bus?.baseDelayMs ?? 1000 },
      ...(options.bus?.concurrency !== undefined && { concurrency: options.bus.concurrency }),
      logger: log,
    });
    stops.push(bus.close);

    const eventBridge = withoutSdkLogger(
      new EventBridgeClient({ endpoint: bus.url, ...LOCAL_AWS, maxAttempts: 10 }),
    );
    stops.push(async () => eventBridge.destroy());
    const outboxHandler = createOutboxPublisherHandler({
      publisher: createEventPublisher({ client: eventBridge, eventBusName: EVENT_BUS_NAME }),
      logger: newLogger(),
      metrics: deps.metrics,
    });
    const grants = createLocalGrantStarter({
      client,
      tableName,
      clock: () => clock.now(),
      log,
    });
    const streams = withoutSdkLogger(new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, ...LOCAL_AWS }));
    stops.push(async () => streams.destroy());
    let pollerError: string | undefined;
    let batchNumber = 0;
    const poller: StreamPoller = await startStreamPoller({
      dynamo: client,
      streams,
      tableName,
      ...(options.outboxPollIntervalMs !== undefined && { pollIntervalMs: options.outboxPollIntervalMs }),
      handler: (event) => {
        batchNumber += 1;
        grants.onRecords(event);
        return outboxHandler(
          event,
          localLambdaContext("patron-outbox-publisher-local", `outbox-${batchNumber}`),
        );
      },
      onError: (error) => {
        pollerError = String(error);
        log.warn("outbox poller error, retrying", { error: pollerError });
      },
    });
    let pollerStopped = false;
    stops.push(async () => {
      pollerStopped = true;
      await poller.stop();
    });

    const sesClient = createSesClient({ endpoint: ses.endpoint });
    stops.push(async () => sesClient.destroy());
    let apiUrl: string | undefined;
    const context: JobContext = {
      client,
      tableName,
      ses: sesClient,
      eventBridge,
      eventBusName: EVENT_BUS_NAME,
      publicApiUrl: () => {
        if (apiUrl === undefined) throw new Error("a job ran before the HTTP API was listening");
        return apiUrl;
      },
      clock,
      logger: log,
      newLogger,
    };
    const jobs = createJobRunner({
      jobs: (options.jobs ?? localJobFactories).map((factory) => factory(context)),
      clock,
      logger: log,
    });

    const probe = async (url: string) => {
      const response = await fetch(url);
      return { ok: response.ok, detail: `HTTP ${response.status}` };
    };
    const localRoutes = createLocalRoutes({
      client,
      tableName,
      programs,
      clock,
      jobs,
      checks: {
        eventBus: () => probe(`${bus.url}/health`),
        sesLocal: () => probe(`${ses.endpoint}/health-check`),
        outboxPoller: async () =>
          pollerStopped
            ? { ok: false, detail: "stopped" }
            : { ok: true, ...(pollerError && { detail: `last error: ${pollerError}` }) },
      },
    });
    const consoleRoutes = options.consoleDir
      ? createConsoleRoutes({ distDir: options.consoleDir })
      : undefined;
    const intercept: typeof localRoutes = async (req, res) =>
      (consoleRoutes !== undefined && (await consoleRoutes(req, res))) || localRoutes(req, res);
    // The API comes up last: /health cannot answer before every other part is running.
    const api = await startPatronHttpApi({ port: options.ports.api, client, tableName, intercept });
    stops.push(api.close);
    apiUrl = api.url;
    // Scheduled runs start once the API is up: the retention job's e-mails link to it.
    if (clock.mode === "real") {
      const timer = setInterval(() => void jobs.catchUp(clock.now()), options.scheduleIntervalMs ?? 30_000);
      stops.push(async () => clearInterval(timer));
    }

    const settle = async () => {
      // Publishing outbound events can enqueue deliveries again, so loop until both are quiet at once.
      for (;;) {
        await bus.drain();
        await poller.idle();
        await grants.idle();
        const stats = bus.stats();
        if (stats.queued === 0 && stats.inFlight === 0 && stats.awaitingRetry === 0) return;
      }
    };

    return {
      urls: {
        api: api.url,
        bus: bus.url,
        ses: ses.endpoint,
        dynamodb: dynamo.endpoint,
        ...(consoleRoutes && { console: `${api.url}/console/` }),
      },
      tableName,
      client,
      clock,
      bus,
      jobs,
      outboundCounts: outbound.counts,
      handlesAtEventTime,
      settle,
      catchUpJobs: () => jobs.catchUp(clock.now()),
      async health() {
        const response = await fetch(`${api.url}/health`);
        return (await response.json()) as Awaited<ReturnType<Platform["health"]>>;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
