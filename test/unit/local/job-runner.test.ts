import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformClock } from "../../../scripts/local/clock";
import { createJobRunner, type LocalJob } from "../../../scripts/local/jobs";
import { createLocalRoutes } from "../../../scripts/local/local-routes";

// A job run as of a time after the platform's clock cannot be undone on that platform: a retention run
// marks the due days up to then as done, settles pending points and writes future-dated expiries. The
// runner refuses it unless forced, and says why.

const NOW = new Date("2026-03-10T12:00:00Z");
const clock: PlatformClock = { mode: "real", now: () => NOW };
const silent = { info() {}, warn() {}, error() {} };

function recordingRunner() {
  const runs: string[] = [];
  const job: LocalJob = {
    name: "retention-job",
    run: async (at) => {
      runs.push(at.toISOString());
      return { days: [] };
    },
  };
  return { runs, runner: createJobRunner({ jobs: [job], clock, logger: silent }) };
}

describe("local job runner", () => {
  it("refuses a run after the platform's clock, saying why and how to force it", async () => {
    const { runs, runner } = recordingRunner();
    const future = new Date("2026-04-01T09:00:00Z");
    await expect(runner.run("retention-job", future)).rejects.toThrow(/after the platform's clock/);
    await expect(runner.run("retention-job", future)).rejects.toThrow(/--force/);
    await expect(runner.run("retention-job", future)).rejects.toThrow(/cannot be undone/);
    expect(runs).toEqual([]);
  });

  it("runs a future time when forced, and past or present times without", async () => {
    const { runs, runner } = recordingRunner();
    await runner.run("retention-job", new Date("2026-04-01T09:00:00Z"), { force: true });
    await runner.run("retention-job", new Date("2026-03-01T09:00:00Z"));
    await runner.run("retention-job", NOW);
    await runner.run("retention-job");
    expect(runs).toEqual([
      "2026-04-01T09:00:00.000Z",
      "2026-03-01T09:00:00.000Z",
      NOW.toISOString(),
      NOW.toISOString(),
    ]);
  });
});

describe("POST /_local/jobs/<name>?at=", () => {
  let server: Server;
  let url: string;
  let runs: string[];
  beforeAll(async () => {
    const recording = recordingRunner();
    runs = recording.runs;
    const intercept = createLocalRoutes({
      // Only /health reads the table and the program; these requests never reach them.
      client: {} as DynamoDBClient,
      tableName: "unused",
      programs: { inEffectAt: async () => undefined },
      clock,
      jobs: recording.runner,
      checks: {},
    });
    server = createServer((req, res) => {
      void intercept(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers 409 with the reason for a future time, and runs it with force=true", async () => {
    const at = encodeURIComponent("2026-04-01T09:00:00Z");
    const refused = await fetch(`${url}/_local/jobs/retention-job?at=${at}`, { method: "POST" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/after the platform's clock/);
    expect(runs).toEqual([]);

    const forced = await fetch(`${url}/_local/jobs/retention-job?at=${at}&force=true`, { method: "POST" });
    expect(forced.status).toBe(200);
    expect(runs).toEqual(["2026-04-01T09:00:00.000Z"]);
  });
});
