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

export interface TestTableOptions {
  /** Keep the production table's stream; only for tests that read it (why: TableInputOptions.stream). */
  stream?: boolean;
}

/**
 * Creates a uniquely named table from the production definition, so test files never share data; without
 * its stream unless asked, which changes nothing a read or write sees.
 */
export async function createTestTable(endpoint: string, options: TestTableOptions = {}): Promise<TestTable> {
  const tableName = `patron-test-${randomUUID().slice(0, 8)}`;
  const client = dynamoClient(endpoint);
  await client.send(new CreateTableCommand(createTableInput(tableName, { stream: options.stream ?? false })));
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
 * A DynamoDB Local of the test file's own, for the load tests: their timing then owes nothing to what ran
 * before. The shared instance used to slow as a long run filled it (100 concurrent purchases on one member:
 * 16 s fresh, over 500 s late in a CI run); the cause was the stream records every table kept, which test
 * tables now leave out (TestTableOptions.stream).
 */
export async function dedicatedDynamoLocal(): Promise<DynamoLocal> {
  process.once("exit", killStartedDynamoLocals);
  return startDynamoLocal({ port: 0 });
}
