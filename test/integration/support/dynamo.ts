import { randomUUID } from "node:crypto";
import {
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { createDynamoClient } from "../../../functions/adapters/dynamo/client";
import { createTableInput, timeToLiveInput } from "../../../infra/table-definition";
import {
  type DynamoLocal,
  killStartedDynamoLocals,
  startDynamoLocal,
} from "../../../scripts/local/dynamo-local";

/** A client for DynamoDB Local; no SDK retries so tests see every error. */
export function dynamoClient(endpoint: string, maxAttempts = 1): DynamoDBClient {
  return createDynamoClient({ endpoint, maxAttempts });
}

export interface TestTable {
  tableName: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named table from the production definition, so test files never share data. */
export async function createTestTable(endpoint: string): Promise<TestTable> {
  const tableName = `patron-test-${randomUUID().slice(0, 8)}`;
  const client = dynamoClient(endpoint);
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(new UpdateTimeToLiveCommand(timeToLiveInput(tableName)));
  return {
    tableName,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}

/**
 * A DynamoDB Local of the test file's own, for the load tests. The shared instance slows as a long run
 * fills it: 100 concurrent purchases on one member took 16 s on a fresh instance and over 500 s late
 * in a CI run, where the same workload is not what is under test.
 */
export async function dedicatedDynamoLocal(): Promise<DynamoLocal> {
  process.once("exit", killStartedDynamoLocals);
  return startDynamoLocal({ port: 0 });
}
