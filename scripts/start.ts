import { parseArgs } from "node:util";
import { tableRejectedEventReader } from "../functions/adapters/bus/rejected-events";
import { platformBanner } from "./local/banner";
import { consoleLog } from "./local/console-log";
import { buildConsole } from "./local/console-site";
import { killStartedDynamoLocals } from "./local/dynamo-local";
import { type HandlerLogLevel, type Platform, startPlatform } from "./local/platform";
import { portsFromEnv } from "./local/ports";

// `npm start`: the whole platform on fixed local ports until Ctrl-C.

const USAGE = `Usage: npm start [-- --data <dir>]

  --data <dir>   keep DynamoDB Local's data in <dir> across restarts (default: in memory)

Ports (env var, default): PATRON_API_PORT 3000, PATRON_BUS_PORT 4010, PATRON_SES_PORT 8005,
PATRON_DYNAMODB_PORT 8000. Handler log level: PATRON_LOG_LEVEL (DEBUG, INFO, WARN, ERROR, SILENT; default INFO).`;

const LOG_LEVELS: readonly HandlerLogLevel[] = ["DEBUG", "INFO", "WARN", "ERROR", "SILENT"];

function fail(message: string): never {
  console.error(`start: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { data?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { data: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const level = (process.env.PATRON_LOG_LEVEL ?? "INFO").toUpperCase() as HandlerLogLevel;
  if (!LOG_LEVELS.includes(level)) fail(`PATRON_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);

  const log = consoleLog();
  let platform: Platform | undefined;
  let stopping = false;
  const stop = async (running: Platform) => {
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      log.error("clean stop failed", { error: String(error) });
      process.exit(1);
    }
  };
  const onSignal = (signal: string) => {
    // A second signal, or one during start-up, exits at once; the exit hook still kills java.
    if (stopping || !platform) process.exit(130);
    stopping = true;
    log.info(`${signal}: stopping`);
    void stop(platform);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => onSignal(signal));
  // Whatever ends the process, DynamoDB Local's java must not outlive it.
  process.on("exit", killStartedDynamoLocals);

  const ports = (() => {
    try {
      return portsFromEnv();
    } catch (error) {
      return fail((error as Error).message);
    }
  })();
  log.info("building the marketer console");
  let consoleDir: string;
  try {
    consoleDir = await buildConsole();
  } catch (error) {
    fail(`the console did not build: ${(error as Error).message}`);
  }
  log.info("starting DynamoDB Local, SES local, the event bus and the HTTP API");
  try {
    platform = await startPlatform({
      ports,
      consoleDir,
      ...(values.data !== undefined && { dataDir: values.data }),
      log,
      handlerLogLevel: level,
    });
  } catch (error) {
    fail((error as Error).message);
  }
  // With --data, events rejected earlier today are still there; in memory it starts at 0.
  const today = new Date().toISOString().slice(0, 10);
  const reader = tableRejectedEventReader({ client: platform.client, tableName: platform.tableName });
  const rejected = { day: today, count: await reader.countDay(today) };
  console.log(
    platformBanner(platform, { ...(values.data !== undefined && { dataDir: values.data }), rejected }),
  );
}

void main();
