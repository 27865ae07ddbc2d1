import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { MemberState } from "../../../domain";
import { tableEventParking } from "../../../functions/adapters/bus/parked-events";
import { tableRejectedEventSink } from "../../../functions/adapters/bus/rejected-events";
import { createDynamoClient } from "../../../functions/adapters/dynamo/client";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../../functions/adapters/dynamo/program-repository";
import { createSesMailer } from "../../../functions/adapters/ses/mailer";
import { createTokenSigner } from "../../../functions/http/signed-token";
import { createMessageStore } from "../../../functions/retention/message-store";
import { MAX_MEMBERS_PER_CHECK } from "../../../functions/retention/run-request";
import { runRetentionJob } from "../../../functions/retention/run-retention-job";
import { createLogger } from "../../../functions/shared/logger";
import { createMetrics } from "../../../functions/shared/metrics";
import { defaultProducers, producerSourcePatterns, refundAuthoritySources } from "../../../infra/config";
import { createSimulatedClock } from "../../../scripts/local/clock";
import { localBusRules } from "../../../scripts/local/consumers";
import { createLocalEventBus } from "../../../scripts/local/event-bus/local-event-bus";
import { LOCAL_SIGNING_SECRET } from "../../../scripts/local/http-api/local-jwt";
import { type ReplayEvent, replayEvents, yesterday } from "../../../scripts/replay/replay-events";
import { type ReplayRunOptions, runReplay } from "../../../scripts/replay/run-replay";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";
import type { PlatformEnv } from "./platform-env";

// What `npm run replay -- --synthetic <n> --clock simulated` leaves behind, loaded into the browser tests'
// platform in a fraction of its time: the same synthetic year of purchases, sent by the replay's runReplay
// through the real EventBridge client to a bus of its own whose consumers (the platform's handlers) follow a
// simulated clock and write to the platform's table — the platform's own bus runs on the real clock, which
// would park a year of history as arrived too late. Instead of the hourly retention runs the replay passes,
// the retention job checks the replayed members who are due three times in the log's last two months (a
// named-member check, which leaves the platform's schedule of due days alone), so e-mails go out, control
// members are held out and later purchases convert. The caller runs the analytics job on the platform.

const DAY_MS = 86_400_000;
type Stored = MemberState & Record<string, unknown>;
/**
 * Retention checks: CHECKS of them CHECK_EVERY_DAYS apart, the last on the log's last day. Each finds members
 * a lifecycle step further on (at risk, win-back steps 1-3) and counts the purchases since the last as
 * conversions.
 */
const CHECKS = 3;
const CHECK_EVERY_DAYS = 28;

export interface SyntheticHistory {
  memberIds: string[];
  events: number;
}

function memberIdOf(event: ReplayEvent): string {
  return (JSON.parse(event.entry.Detail ?? "{}") as { memberId: string }).memberId;
}

/** Check days at 10:00 UTC (daytime in the members' Europe/Dublin, outside quiet hours), oldest first. */
function checkTimes(endDay: string): Date[] {
  const end = Date.parse(`${endDay}T10:00:00Z`);
  return Array.from(
    { length: CHECKS },
    (_, i) => new Date(end - (CHECKS - 1 - i) * CHECK_EVERY_DAYS * DAY_MS),
  );
}

const lastAt = (events: readonly ReplayEvent[]) => events.at(-1)?.at.getTime() ?? 0;

/** Whether every member of the log is in the table already (an earlier load's). */
async function allStored(env: PlatformEnv, memberIds: readonly string[]): Promise<boolean> {
  const client = createDynamoClient({ endpoint: env.dynamoEndpoint, maxAttempts: 5 });
  try {
    const stored = await createMemberRepository({ client, tableName: env.tableName }).getMembers(memberIds);
    return stored.size === memberIds.length;
  } finally {
    client.destroy();
  }
}

/** The members the scheduled run would read by `at`: due on or before its day (the rest have nothing due). */
async function dueMembers(
  client: DynamoDBClient,
  tableName: string,
  memberIds: readonly string[],
  at: Date,
): Promise<string[]> {
  const day = at.toISOString().slice(0, 10);
  const snapshots = await createMemberRepository({ client, tableName }).getMembers<Stored>([...memberIds]);
  return memberIds.filter((id) => {
    const dueOn = snapshots.get(id)?.state.retention.dueOn;
    return dueOn !== undefined && dueOn <= day;
  });
}

// Several specs load the same history: once per test process, and a worker that starts after another loaded
// it (Playwright starts a new one after a failure) finds its members stored and loads nothing.
const loads = new Map<string, Promise<SyntheticHistory>>();

export function loadSyntheticHistory(
  env: PlatformEnv,
  options: { members: number; seed: number },
): Promise<SyntheticHistory> {
  const key = `${env.apiUrl} ${env.tableName} ${options.members} ${options.seed}`;
  let load = loads.get(key);
  if (!load) {
    load = loadOnce(env, options);
    // A failed load may be tried again.
    load.catch(() => loads.delete(key));
    loads.set(key, load);
  }
  return load;
}

/** The synthetic year of 200 members the Campaigns, Segments and KPIs specs read, then one analytics run. */
export async function loadAnalyzedYear(env: PlatformEnv): Promise<SyntheticHistory> {
  const history = await loadSyntheticHistory(env, { members: 200, seed: 1 });
  const run = await fetch(`${env.apiUrl}/_local/jobs/analytics-job`, { method: "POST" });
  if (run.status !== 200) throw new Error(`the analytics job answered ${run.status}: ${await run.text()}`);
  return history;
}

async function loadOnce(
  env: PlatformEnv,
  options: { members: number; seed: number },
): Promise<SyntheticHistory> {
  const endDay = yesterday(new Date());
  const events = replayEvents(syntheticPurchaseLog({ ...options, endDay }), { endDay });
  const first = events[0];
  if (!first) throw new Error("the synthetic log has no purchases");
  const memberIds = [...new Set(events.map(memberIdOf))];
  if (await allStored(env, memberIds)) return { memberIds, events: events.length };
  const clock = createSimulatedClock(new Date(first.at.getTime() - 60_000));
  const client = createDynamoClient({ endpoint: env.dynamoEndpoint, maxAttempts: 5 });
  const ses = new SESv2Client({
    endpoint: env.sesEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const tableName = env.tableName;
  const programs = createProgramRepository({ client, tableName });
  const newLogger = () => createLogger({ logLevel: "ERROR" });
  const bus = await createLocalEventBus({
    port: 0,
    rules: localBusRules(
      {
        members: createMemberRepository({ client, tableName, clock: () => clock.now() }),
        programs,
        clock: () => clock.now(),
        metrics: createMetrics(),
        rejected: tableRejectedEventSink({ client, tableName }),
        refundLookbackDays: 400,
        refundAuthoritySources: refundAuthoritySources(defaultProducers),
        producerSources: producerSourcePatterns(defaultProducers),
      },
      newLogger,
    ),
    retry: { maxAttempts: 3, baseDelayMs: 50 },
  });
  // What runReplay needs of a platform: this bus, its settling, and no scheduled jobs.
  const platform: ReplayRunOptions["platform"] = {
    urls: { api: env.apiUrl, bus: bus.url, ses: env.sesEndpoint, dynamodb: env.dynamoEndpoint },
    settle: () => bus.drain(),
    bus,
    // Its handlers read the simulated clock.
    handlesAtEventTime: false,
    catchUpJobs: async () => [],
    jobs: {
      names: () => [],
      run: () => Promise.reject(new Error("no jobs")),
      catchUp: async () => [],
    },
    client,
    tableName,
  };
  const check = (at: Date, memberIds: readonly string[]) =>
    runRetentionJob(
      {
        members: createMemberRepository({ client, tableName, clock: () => at }),
        messages: createMessageStore({ client, tableName }),
        programs,
        mailer: createSesMailer({ client: ses, senderAddress: "loyalty@patron.local" }),
        // Outbound events are not what the console shows.
        publisher: { publish: async (batch) => ({ published: batch.length, failed: [] }) },
        parking: tableEventParking({ client, tableName }),
        signer: createTokenSigner(LOCAL_SIGNING_SECRET),
        publicApiUrl: env.apiUrl,
        logger: newLogger(),
      },
      at,
      { members: [...memberIds] },
    );
  try {
    const seen = new Set<string>();
    let sent = 0;
    const checks = checkTimes(endDay);
    for (const [n, at] of checks.entries()) {
      // The last check's replay takes the rest of the log, the day's purchases after 10:00 included.
      const batch =
        n === checks.length - 1 ? events.slice(sent) : events.slice(sent).filter((e) => e.at < at);
      sent += batch.length;
      const until = n === checks.length - 1 ? new Date(Math.max(at.getTime(), lastAt(events))) : at;
      if (batch.length > 0) await runReplay({ platform, events: batch, speed: "max", clock, endAt: until });
      for (const event of batch) seen.add(memberIdOf(event));
      const ids = await dueMembers(client, tableName, [...seen], until);
      for (let i = 0; i < ids.length; i += MAX_MEMBERS_PER_CHECK)
        await check(until, ids.slice(i, i + MAX_MEMBERS_PER_CHECK));
    }
    return { memberIds: [...seen], events: events.length };
  } finally {
    await bus.close();
    ses.destroy();
    client.destroy();
  }
}
