import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { exampleProgram, type Program } from "../../../domain";
import {
  createProgramRepository,
  ProgramVersionConflict,
} from "../../../functions/adapters/dynamo/program-repository";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";

// Publishing several versions at once (a reward change that rebases scheduled versions) is all or none,
// and races with any other publish on the conditional writes.

let table: TestTable;
let client: DynamoDBClient;
beforeAll(async () => {
  const endpoint = inject("dynamoEndpoint");
  table = await createTestTable(endpoint);
  client = dynamoClient(endpoint, 3);
});
afterAll(async () => {
  client.destroy();
  await table.drop();
});

const version = (n: number, name: string): Program => ({
  ...exampleProgram,
  version: n,
  name,
  effectiveFrom: new Date(Date.UTC(2030, 0, n)).toISOString(),
});
const repository = () => createProgramRepository({ client, tableName: table.tableName });

describe("program repository: publishing several versions", () => {
  it("writes none of them when one version already exists, and exactly one of two racing publishes wins", async () => {
    const marketer = repository();
    await marketer.publish(version(1, "one"), "alice");
    // Another writer got version 3 in first: version 2 of the same publish must not be written alone.
    await marketer.publish(version(3, "three by bob"), "bob");
    await expect(
      marketer.publishAll([version(2, "two"), version(3, "three")], "alice"),
    ).rejects.toBeInstanceOf(ProgramVersionConflict);
    const after = await marketer.listVersions({ fresh: true });
    expect(after.map((v) => [v.version, v.program.name])).toEqual([
      [1, "one"],
      [3, "three by bob"],
    ]);

    const results = await Promise.allSettled([
      repository().publishAll([version(4, "alice 4"), version(5, "alice 5")], "alice"),
      repository().publishAll([version(4, "carol 4"), version(5, "carol 5")], "carol"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const winner = results.find((r) => r.status === "fulfilled")?.value[0]?.publishedBy;
    const stored = await marketer.listVersions({ fresh: true });
    expect(stored.slice(2).map((v) => [v.version, v.publishedBy])).toEqual([
      [4, winner],
      [5, winner],
    ]);
    // Each version's diff is against the one before it, the first against the latest stored.
    expect(stored[2]?.diff.map((c) => c.path)).toEqual(["effectiveFrom", "name", "version"]);
    expect(stored[3]?.diff).toEqual([
      { path: "effectiveFrom", before: version(4, "").effectiveFrom, after: version(5, "").effectiveFrom },
      { path: "name", before: `${winner} 4`, after: `${winner} 5` },
      { path: "version", before: 4, after: 5 },
    ]);
  });
});
