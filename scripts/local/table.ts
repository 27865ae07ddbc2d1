import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { exampleProgram } from "../../domain/program/example-program";
import { createProgramRepository } from "../../functions/adapters/dynamo/program-repository";
import { createTableInput, timeToLiveInput } from "../../infra/table-definition";

/** Creates the table from the definition the CDK stack deploys, unless it exists (persisted data). */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<"created" | "existing"> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return "existing";
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(new UpdateTimeToLiveCommand(timeToLiveInput(tableName)));
  return "created";
}

export const SEED_ACTOR = "local-seed";

/**
 * Publishes the example program (tiers, earning rules, rewards, retention settings) as version 1 when
 * no version exists yet; a persisted table keeps whatever was published into it.
 */
export async function seedExampleProgram(
  client: DynamoDBClient,
  tableName: string,
): Promise<{ seeded: boolean; version: number }> {
  const programs = createProgramRepository({ client, tableName });
  const latest = await programs.latest({ fresh: true });
  if (latest) return { seeded: false, version: latest.version };
  const published = await programs.publish(exampleProgram, SEED_ACTOR);
  return { seeded: true, version: published.version };
}
