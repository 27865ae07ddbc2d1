import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoClient } from "../../../functions/adapters/dynamo/client";
import { processGroupCpuMs } from "../../../scripts/bench/group-cpu";
import { jvmThreadCpuMs } from "../../../scripts/bench/jvm-threads";
import {
  DYNAMO_LOCAL_JVM_OPTIONS,
  killStartedDynamoLocals,
  startDynamoLocal,
} from "../../../scripts/local/dynamo-local";

// DynamoDB Local keeps one database per access key and region unless started with -sharedDb. The local
// platform must be browsable with any credentials (the AWS CLI's, NoSQL Workbench's), in memory and on disk.

process.once("exit", killStartedDynamoLocals);
// Each start is a JVM: 5 s on an idle machine, 30 s and more on a loaded one; the second test starts two.
const TWO_STARTS_MS = 240_000;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const table = (name: string) =>
  new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: "PK", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "PK", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });

async function tablesSeenBy(endpoint: string, accessKeyId: string, region: string): Promise<string[]> {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId, secretAccessKey: "anything" },
  });
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
}

async function withDynamoLocal(
  dataDir: string | undefined,
  use: (endpoint: string, pid: number | undefined) => Promise<void>,
) {
  const dynamo = await startDynamoLocal({ port: 0, ...(dataDir !== undefined && { dataDir }) });
  try {
    await use(dynamo.endpoint, dynamo.pid);
  } finally {
    await dynamo.stop();
  }
}

describe("DynamoDB Local as the platform starts it", () => {
  it(
    "shows Patron's tables to any credentials and region (in memory)",
    async () => {
      await withDynamoLocal(undefined, async (endpoint) => {
        const patron = createDynamoClient({ endpoint });
        await patron.send(table("patron-shared"));
        patron.destroy();
        expect(await tablesSeenBy(endpoint, "AKIAOTHERUSER", "eu-west-1")).toContain("patron-shared");
      });
    },
    TWO_STARTS_MS / 2,
  );

  it(
    "names its process group, whose CPU the benches read (scripts/bench/group-cpu.ts)",
    async () => {
      await withDynamoLocal(undefined, async (endpoint, pid) => {
        expect(pid).toBeGreaterThan(0);
        const started = processGroupCpuMs(pid as number) as number;
        // Starting a JVM alone costs far more than one clock tick.
        expect(started).toBeGreaterThan(100);
        const patron = createDynamoClient({ endpoint });
        for (let i = 0; i < 300; i += 1) await patron.send(new ListTablesCommand({}));
        patron.destroy();
        expect(processGroupCpuMs(pid as number)).toBeGreaterThan(started);
        // By thread: Jetty's served the requests, and C1 compiled (the JIT's share the replay bench reports).
        const threads = jvmThreadCpuMs(pid as number);
        expect(threads?.requests).toBeGreaterThan(0);
        expect(threads?.JIT).toBeGreaterThan(0);
      });
    },
    TWO_STARTS_MS / 2,
  );

  it(
    "runs its JVM with the platform's options, C1 only among them (what the replay bench measured)",
    async () => {
      await withDynamoLocal(undefined, async (_endpoint, pid) => {
        const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        expect(args).toContain("-XX:TieredStopAtLevel=1");
        // JVM options go before -jar: after it they would be the jar's own arguments.
        for (const option of DYNAMO_LOCAL_JVM_OPTIONS)
          expect(args.indexOf(option)).toBeLessThan(args.indexOf("-jar"));
        expect(args).toContain("-sharedDb");
      });
    },
    TWO_STARTS_MS / 2,
  );

  it(
    "keeps a data directory's tables for any credentials, and adopts one written before -sharedDb",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "patron-ddb-"));
      dirs.push(dir);
      await withDynamoLocal(dir, async (endpoint) => {
        const patron = createDynamoClient({ endpoint });
        await patron.send(table("patron-kept"));
        patron.destroy();
      });
      expect(readdirSync(dir)).toContain("shared-local-instance.db");
      // What an earlier Patron left: the database file of its fixed access key and region.
      renameSync(join(dir, "shared-local-instance.db"), join(dir, "patronlocal_us-east-1.db"));
      await withDynamoLocal(dir, async (endpoint) => {
        expect(await tablesSeenBy(endpoint, "someone", "ap-southeast-2")).toContain("patron-kept");
      });
      expect(existsSync(join(dir, "patronlocal_us-east-1.db"))).toBe(false);
    },
    TWO_STARTS_MS,
  );
});
