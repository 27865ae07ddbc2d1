import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformClock } from "../../../scripts/local/clock";
import { createJobRunner, type LocalJob } from "../../../scripts/local/jobs";
import { createLocalRoutes } from "../../../scripts/local/local-routes";

// `POST /_local/jobs/retention-job?member=<id>` checks named members now (functions/retention/run-request.ts):
// the ids reach the job as its event, `{"members": [...]}`, the way an operator would invoke the Lambda.

const NOW = new Date("2026-03-10T12:00:00Z");
const clock: PlatformClock = { mode: "real", now: () => NOW };
const silent = { info() {}, warn() {}, error() {} };

let server: Server;
let url: string;
const events: unknown[] = [];

beforeAll(async () => {
  const job: LocalJob = {
    name: "retention-job",
    run: async (_at, event) => {
      events.push(event);
      return { processed: 0 };
    },
  };
  const intercept = createLocalRoutes({
    client: {} as DynamoDBClient,
    tableName: "unused",
    programs: { inEffectAt: async () => undefined },
    clock,
    jobs: createJobRunner({ jobs: [job], clock, logger: silent }),
    checks: {},
  });
  server = createServer((req, res) => {
    void intercept(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("POST /_local/jobs/<name>?member=", () => {
  it("passes the named members to the job as its event; without them, the scheduled run's", async () => {
    events.length = 0;
    const named = await fetch(`${url}/_local/jobs/retention-job?member=m-1&member=m-2`, { method: "POST" });
    expect(named.status).toBe(200);
    const plain = await fetch(`${url}/_local/jobs/retention-job`, { method: "POST" });
    expect(plain.status).toBe(200);
    expect(events).toEqual([{ members: ["m-1", "m-2"] }, { job: "retention-job" }]);
  });
});
