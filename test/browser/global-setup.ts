import { join } from "node:path";
import { buildConsole } from "../../scripts/local/console-site";
import { killStartedDynamoLocals } from "../../scripts/local/dynamo-local";
import { startPlatform } from "../../scripts/local/platform";
import { exportPlatformEnv } from "./support/platform-env";

// Starts what the browser tests drive, on free ports: the whole local platform as `npm start` runs it
// (DynamoDB Local, SES local, the bus and its consumers, the outbox, the HTTP API) with the console built once
// and served at /console/ on the API's origin. Everything stops when the run ends.

export default async function globalSetup(): Promise<() => Promise<void>> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  // If the runner dies without tearing down, don't leave java behind.
  process.once("exit", killStartedDynamoLocals);
  const consoleDir = await buildConsole({ outDir: join(import.meta.dirname, "..", "..", ".tmp-console") });
  const platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    handlerLogLevel: "SILENT",
    bus: { baseDelayMs: 50 },
    outboxPollIntervalMs: 50,
    tableName: "patron-browser",
    consoleDir,
  });
  exportPlatformEnv({
    apiUrl: platform.urls.api,
    busUrl: platform.urls.bus,
    dynamoEndpoint: platform.urls.dynamodb,
    sesEndpoint: platform.urls.ses,
    tableName: platform.tableName,
  });
  return async () => {
    await platform.stop();
    process.off("exit", killStartedDynamoLocals);
  };
}
