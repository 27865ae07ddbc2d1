import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobRunner } from "../../../scripts/local/jobs";
import { createLocalRoutes } from "../../../scripts/local/local-routes";
import { freePort } from "../../../scripts/local/ports";

// `npm run send`, `job`, `token` and `demo` follow the PATRON_* port variables `npm start` reads and print the URL
// they use; `job` refuses a time after the platform's clock unless forced. Each script runs as a process.

const root = join(import.meta.dirname, "..", "..", "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runScript(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      [join(root, "scripts", script), ...args],
      { cwd: root, env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const FUTURE = "2999-01-01T09:00:00Z";

describe("local CLIs and the PATRON_* port variables", () => {
  let server: Server;
  let apiPort: number;
  const runs: string[] = [];
  beforeAll(async () => {
    const clock = { mode: "real" as const, now: () => new Date() };
    const jobs = createJobRunner({
      jobs: [{ name: "retention-job", run: async (at) => runs.push(at.toISOString()) }],
      clock,
      logger: { info() {}, warn() {}, error() {} },
    });
    const intercept = createLocalRoutes({
      client: {} as DynamoDBClient,
      tableName: "unused",
      programs: { inEffectAt: async () => undefined },
      clock,
      jobs,
      checks: {},
    });
    server = createServer((req, res) => {
      void intercept(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiPort = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("token --help shows the API URL PATRON_API_PORT gives", async () => {
    const run = await runScript("token.ts", ["--help"], { PATRON_API_PORT: "4123" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("http://127.0.0.1:4123/me");
    expect(run.stdout).not.toContain(":3000");
  });

  it("send --help shows the bus URL PATRON_BUS_PORT gives, and a failed send names it", async () => {
    const help = await runScript("send-event.ts", ["--help"], { PATRON_BUS_PORT: "4999" });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("http://127.0.0.1:4999");
    const closed = await freePort();
    const sent = await runScript("send-event.ts", ["member-enrolled"], { PATRON_BUS_PORT: String(closed) });
    expect(sent.code).not.toBe(0);
    expect(sent.stderr).toContain(`http://127.0.0.1:${closed}`);
  });

  it("job --help shows the API URL, and a run prints the URL it calls", async () => {
    const help = await runScript("job.ts", ["--help"], { PATRON_API_PORT: String(apiPort) });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`http://127.0.0.1:${apiPort}`);
    const run = await runScript("job.ts", ["retention-job"], { PATRON_API_PORT: String(apiPort) });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`http://127.0.0.1:${apiPort}/_local/jobs/retention-job`);
    expect(runs).toHaveLength(1);
  });

  it("job --at in the platform's future is refused with the reason, and runs with --force", async () => {
    const env = { PATRON_API_PORT: String(apiPort) };
    const refused = await runScript("job.ts", ["retention-job", "--at", FUTURE], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/after the platform's clock/);
    expect(refused.stderr).toMatch(/--force/);
    expect(runs).not.toContain("2999-01-01T09:00:00.000Z");
    const forced = await runScript("job.ts", ["retention-job", "--at", FUTURE, "--force"], env);
    expect(forced.code).toBe(0);
    expect(runs).toContain("2999-01-01T09:00:00.000Z");
  });

  it("demo --help shows the API, bus and inbox URLs the PATRON_* ports give, and an unreachable API is named", async () => {
    const env = { PATRON_API_PORT: "4124", PATRON_BUS_PORT: "4998", PATRON_SES_PORT: "4997" };
    const help = await runScript("demo.ts", ["--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("http://127.0.0.1:4124, from PATRON_API_PORT=4124");
    expect(help.stdout).toContain("http://127.0.0.1:4998, from PATRON_BUS_PORT=4998");
    expect(help.stdout).toContain("http://127.0.0.1:4997, from PATRON_SES_PORT=4997");
    for (const port of [":3000", ":4010", ":8005"]) expect(help.stdout).not.toContain(port);
    const closed = await freePort();
    const run = await runScript("demo.ts", [], { ...env, PATRON_API_PORT: String(closed) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach the platform at http://127.0.0.1:${closed}`);
  });

  it("a malformed port variable is named, not a stack trace", async () => {
    const run = await runScript("job.ts", ["retention-job"], { PATRON_API_PORT: "abc" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PATRON_API_PORT must be a port number between 1 and 65535, got "abc"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
