import { createDynamoClient } from "../../functions/adapters/dynamo/client";
import { killStartedDynamoLocals, startDynamoLocal } from "../../scripts/local/dynamo-local";
import { startPatronHttpApi } from "../../scripts/local/http-api/patron-http-api";
import { startSesLocal } from "../../scripts/local/ses-local";
import { ensureTable, seedExampleProgram } from "../../scripts/local/table";
import { exportPlatformEnv } from "./support/platform-env";

// Starts what the browser tests drive, on free ports and the way `npm start` does: DynamoDB Local (in memory,
// its own process group), aws-ses-v2-local, and the real http-api Lambda handler behind the local API Gateway
// on a table holding the example program. Everything stops when the run ends.

export default async function globalSetup(): Promise<() => Promise<void>> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const stops: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    process.off("exit", killStartedDynamoLocals);
  };
  // If the runner dies without tearing down, don't leave java behind.
  process.once("exit", killStartedDynamoLocals);
  try {
    const dynamo = await startDynamoLocal({ port: 0 });
    stops.push(dynamo.stop);
    const ses = await startSesLocal({ port: 0 });
    stops.push(ses.stop);
    const tableName = "patron-browser";
    const client = createDynamoClient({ endpoint: dynamo.endpoint, maxAttempts: 3 });
    stops.push(async () => client.destroy());
    await ensureTable(client, tableName);
    await seedExampleProgram(client, tableName);
    const api = await startPatronHttpApi({ port: 0, client, tableName });
    stops.push(api.close);
    exportPlatformEnv({
      apiUrl: api.url,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      tableName,
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
