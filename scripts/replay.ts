import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { exampleProgram } from "../domain/program/example-program";
import { createSimulatedClock, type SimulatedClock } from "./local/clock";
import { consoleLog } from "./local/console-log";
import { buildConsole } from "./local/console-site";
import { killStartedDynamoLocals } from "./local/dynamo-local";
import { type Platform, startPlatform } from "./local/platform";
import { progressReporter } from "./replay/progress";
import { type PurchaseRow, parsePurchaseLog } from "./replay/purchase-log";
import { DEFAULT_REFERRAL_RATE, replayEvents, yesterday } from "./replay/replay-events";
import { runReplay } from "./replay/run-replay";
import { formatSummary, replaySummary } from "./replay/summary";
import { challengeEvents, DEFAULT_CHALLENGE_RATE } from "./replay/synthetic-challenges";
import { syntheticPurchaseLog } from "./replay/synthetic-log";
import {
  DEFAULT_PARTNER_RATE,
  DEFAULT_PARTNER_REFUND_RATE,
  EXAMPLE_PARTNERS,
  withPartnerPurchases,
} from "./replay/synthetic-partners";
import {
  DEFAULT_COMPLAINT_RATE,
  DEFAULT_SURVEY_RATE,
  withSatisfaction,
} from "./replay/synthetic-satisfaction";

// `npm run replay`: boots a fresh in-memory platform on free ports and replays a purchase log through its
// bus as POS / web events, then prints what the program made of it.

const USAGE = `Usage:
  npm run replay -- <file> [options]          a purchase log: CSV "customer_id,date,amount[,order_id,category]"
                                              or CDNOW ("customer_id date cds amount")
  npm run replay -- --synthetic <n> [options] a generated year of n members (BG/NBD-style)

Options:
  --speed max|<factor>   as fast as possible (default), or <factor> times the log's real pace
  --clock simulated|real simulated (default): platform time follows the log and scheduled jobs run as simulated
                         hours pass; real: platform time is now, so purchases older than the program's late
                         window (timePolicy, default its pending days) are parked as arrived-too-late
  --seed <n>             seed of --synthetic (default 1)
  --survey-rate <share>  with --synthetic: share of purchases followed 1-3 days later by a survey answer (NPS
                         0-10 and/or CSAT 1-5; detractors open a service case), from 0 to 1 (default ${DEFAULT_SURVEY_RATE})
  --referral-rate <share>
                         with --synthetic: share of new members who enrol with an earlier member's referral
                         code, from 0 to 1 (default ${DEFAULT_REFERRAL_RATE})
  --complaint-rate <share>
                         with --synthetic: share of purchases followed by a complaint, from 0 to 1 (default
                         ${DEFAULT_COMPLAINT_RATE}); the service desk resolves a share of the cases a few days later
  --challenge-rate <share>
                         with --synthetic: share of members who opt in to each opt-in challenge (the day before
                         one of their purchases) and who complete their profile, from 0 to 1 (default ${DEFAULT_CHALLENGE_RATE})
  --partner-rate <share> with --synthetic: share of purchases followed 0-3 days later by a purchase with one of the
                         program's partners (cafe-lumen, velo-fuel; ${DEFAULT_PARTNER_REFUND_RATE * 100} % of them refunded), from 0 to 1
                         (default ${DEFAULT_PARTNER_RATE}); GET /partners/<id>/statement?month= shows their statements
  --keep-running         leave the platform up afterwards, marketer console included (Ctrl-C to stop), e.g.
                         to read the e-mails or browse Campaigns, Segments and KPIs
  --json                 print the summary as JSON

The log is moved in time so that its last day is yesterday (UTC); amounts are in major units.`;

function fail(message: string): never {
  console.error(`replay: ${message}`);
  process.exit(2);
}

interface Args {
  file?: string;
  synthetic?: number;
  seed: number;
  surveyRate?: number;
  complaintRate?: number;
  challengeRate?: number;
  partnerRate?: number;
  referralRate?: number;
  speed: "max" | number;
  simulated: boolean;
  keepRunning: boolean;
  json: boolean;
}

function parse(): Args {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      options: {
        synthetic: { type: "string" },
        seed: { type: "string" },
        "survey-rate": { type: "string" },
        "complaint-rate": { type: "string" },
        "challenge-rate": { type: "string" },
        "partner-rate": { type: "string" },
        "referral-rate": { type: "string" },
        speed: { type: "string" },
        clock: { type: "string" },
        "keep-running": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const text = (name: string) => values[name] as string | undefined;
  const synthetic = text("synthetic") === undefined ? undefined : Number(text("synthetic"));
  if (synthetic !== undefined && (!Number.isInteger(synthetic) || synthetic < 1))
    fail(`--synthetic must be a whole number of members >= 1, got "${text("synthetic")}"`);
  if ((synthetic === undefined) === (positionals.length === 0))
    fail(`give either a log file or --synthetic <n>\n\n${USAGE}`);
  if (positionals.length > 1) fail(`give one log file, got ${positionals.length}`);
  const speedText = text("speed") ?? "max";
  const factor = Number(speedText);
  if (speedText !== "max" && !(Number.isFinite(factor) && factor > 0))
    fail(`--speed must be "max" or a positive factor such as 86400 (a day per second), got "${speedText}"`);
  // A log is history: on the real clock most of it would be older than the time policy's late window.
  const clock = text("clock") ?? "simulated";
  if (clock !== "real" && clock !== "simulated")
    fail(`--clock must be "simulated" or "real", got "${clock}"`);
  const seed = Number(text("seed") ?? "1");
  if (!Number.isInteger(seed)) fail(`--seed must be a whole number, got "${text("seed")}"`);
  const share = (name: string): number | undefined => {
    const given = text(name);
    if (given === undefined) return undefined;
    if (synthetic === undefined) fail(`--${name} needs --synthetic: a log file brings its own history`);
    const value = Number(given);
    if (given.trim() === "" || !(value >= 0 && value <= 1))
      fail(`--${name} must be from 0 to 1, got "${given}"`);
    return value;
  };
  const surveyRate = share("survey-rate");
  const complaintRate = share("complaint-rate");
  const challengeRate = share("challenge-rate");
  const partnerRate = share("partner-rate");
  const referralRate = share("referral-rate");
  return {
    ...(positionals[0] !== undefined && { file: positionals[0] }),
    ...(synthetic !== undefined && { synthetic }),
    seed,
    ...(surveyRate !== undefined && { surveyRate }),
    ...(complaintRate !== undefined && { complaintRate }),
    ...(challengeRate !== undefined && { challengeRate }),
    ...(partnerRate !== undefined && { partnerRate }),
    ...(referralRate !== undefined && { referralRate }),
    speed: speedText === "max" ? "max" : factor,
    simulated: clock === "simulated",
    keepRunning: values["keep-running"] === true,
    json: values.json === true,
  };
}

async function loadRows(args: Args, endDay: string): Promise<PurchaseRow[]> {
  if (args.synthetic !== undefined)
    return syntheticPurchaseLog({ members: args.synthetic, seed: args.seed, endDay });
  const file = args.file as string;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return parsePurchaseLog(text, file);
  } catch (error) {
    return fail((error as Error).message);
  }
}

async function main(): Promise<void> {
  const args = parse();
  const endDay = yesterday(new Date());
  const rows = await loadRows(args, endDay);
  const endAt = new Date(`${endDay}T23:59:59.999Z`);
  const referralShare = args.synthetic === undefined ? 0 : (args.referralRate ?? DEFAULT_REFERRAL_RATE);
  const retail = replayEvents(rows, { endDay, referralShare });
  const purchases =
    args.synthetic === undefined
      ? retail
      : withPartnerPurchases(retail, {
          seed: args.seed,
          partners: EXAMPLE_PARTNERS,
          ...(args.partnerRate !== undefined && { partnerRate: args.partnerRate }),
          endAt,
        });
  // The seeded example program's thresholds decide which answers open a service case (the desk resolves those).
  const { detractorNpsAtMost, detractorCsatAtMost } = exampleProgram.retention.triggers.serviceRecovery;
  const events =
    args.synthetic === undefined
      ? purchases
      : [
          ...withSatisfaction(purchases, {
            seed: args.seed,
            ...(args.surveyRate !== undefined && { surveyRate: args.surveyRate }),
            ...(args.complaintRate !== undefined && { complaintRate: args.complaintRate }),
            detractor: { npsAtMost: detractorNpsAtMost, csatAtMost: detractorCsatAtMost },
            endAt,
          }),
          ...challengeEvents(purchases, {
            seed: args.seed,
            ...(args.challengeRate !== undefined && { rate: args.challengeRate }),
            optInChallenges: exampleProgram.challenges.filter((c) => c.optIn).map((c) => c.challengeId),
            endAt,
          }),
        ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = events[0];
  if (!first) fail("the log has no purchases");
  const clock: SimulatedClock | undefined = args.simulated
    ? createSimulatedClock(new Date(first.at.getTime() - 60_000))
    : undefined;

  let platform: Platform | undefined;
  process.on("exit", killStartedDynamoLocals);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      void (platform?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
    });
  const log = consoleLog("replay", { quiet: true });
  const contacts = events.length - purchases.length;
  const partnerEvents = purchases.length - retail.length;
  process.stderr.write(
    `replay: ${rows.length.toLocaleString("en-US")} purchases${partnerEvents > 0 ? `, ${partnerEvents.toLocaleString("en-US")} partner purchases and refunds` : ""}${contacts > 0 ? ` and ${contacts.toLocaleString("en-US")} surveys, complaints, resolutions, opt-ins and profiles` : ""} -> ${events.length.toLocaleString("en-US")} events; starting the platform\n`,
  );
  // A platform left running serves the console too, to browse what the replay left behind.
  const consoleDir = args.keepRunning ? await buildConsole() : undefined;
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    ...(clock && { clock }),
    ...(consoleDir && { consoleDir }),
    log,
    handlerLogLevel: "SILENT",
    outboxPollIntervalMs: 50,
    // Each event is handled at its own time on the simulated clock, however far the bus's queue lags.
    handleAtEventTime: true,
  });
  const progress = progressReporter();
  const run = await runReplay({
    platform,
    events,
    speed: args.speed,
    ...(clock && { clock }),
    onProgress: progress.update,
  });
  progress.done();
  const summary = await replaySummary(platform, run);
  if (args.json) console.log(JSON.stringify({ run, summary }, null, 2));
  else console.log(formatSummary(summary, run));
  if (args.keepRunning) {
    console.log(
      `Still running (Ctrl-C to stop): console ${platform.urls.console}, API ${platform.urls.api}, e-mail inbox ${platform.urls.ses}, bus ${platform.urls.bus}`,
    );
    return;
  }
  await platform.stop();
}

main().catch((error) => {
  console.error(`replay: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
