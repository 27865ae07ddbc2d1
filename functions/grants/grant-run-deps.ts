import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createGrantStore } from "../adapters/dynamo/grant-store";
import { createMemberRepository } from "../adapters/dynamo/member-repository";
import { createProgramRepository } from "../adapters/dynamo/program-repository";
import type { GrantRunDeps } from "./run-grant";

/** A grant run's stores over one table, on the wall clock: the grant runner's and `npm run grant`'s wiring. */
export function grantRunDeps({
  client,
  tableName,
}: {
  client: DynamoDBClient;
  tableName: string;
}): GrantRunDeps {
  return {
    client,
    tableName,
    members: createMemberRepository({ client, tableName }),
    programs: createProgramRepository({ client, tableName }),
    grants: createGrantStore({ client, tableName }),
    clock: () => new Date(),
  };
}
