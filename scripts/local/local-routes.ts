import type { IncomingMessage, ServerResponse } from "node:http";
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { healthSchema } from "../../functions/http/api-schemas";
import type { ProgramSource } from "../../functions/pipeline/ports";
import { describeSchedule } from "../../infra/function-specs";
import type { PlatformClock } from "./clock";
import { FutureJobRunRefused, type JobRunner, scheduleOf } from "./jobs";
import { createLocalTokenIssuer } from "./local-token";

// Endpoints only the local platform has, served on the API port ahead of the Lambda routes:
//   GET  /health                    200 when every part answers, 503 with the failing checks otherwise
//   GET  /_local/jobs               the scheduled jobs and their UTC schedules
//   POST /_local/jobs/<name>?at=ISO run a job now (or as of `at`); answers with its report. An `at` after
//                                   the platform's clock is refused (409, with why) unless `force=true`.
//                                   `member=<id>` (repeatable) runs the job for those members only: the event
//                                   {"members": [...]} (the retention job checks them now, any due day).
//   POST /_local/token              the stand-in for the Hosted UI sign-in: a marketer's token, or a shopper's
//                                   with the claims the pre-token trigger gives (local-token.ts)

export type Check = () => Promise<{ ok: boolean; detail?: string }>;

export interface LocalRoutesOptions {
  client: DynamoDBClient;
  tableName: string;
  programs: ProgramSource;
  clock: PlatformClock;
  jobs: JobRunner;
  /** Further parts to check (bus, SES local, outbox poller). */
  checks: Record<string, Check>;
}

function json(res: ServerResponse, status: number, body: unknown): true {
  const payload = JSON.stringify(body, null, 2);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  res.end(payload);
  return true;
}

const failed = (error: unknown) => ({
  ok: false,
  detail: error instanceof Error ? error.message : String(error),
});

export function createLocalRoutes(options: LocalRoutesOptions) {
  const checks: Record<string, Check> = {
    table: async () => {
      const { Table } = await options.client.send(new DescribeTableCommand({ TableName: options.tableName }));
      return { ok: Table?.TableStatus === "ACTIVE", detail: Table?.TableStatus ?? "missing" };
    },
    program: async () => {
      const program = await options.programs.inEffectAt(options.clock.now().toISOString());
      return program
        ? { ok: true, detail: `version ${program.version}` }
        : { ok: false, detail: "none in effect" };
    },
    ...options.checks,
  };

  async function health(res: ServerResponse): Promise<true> {
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => [name, await check().catch(failed)] as const),
      ),
    );
    const ok = Object.values(results).every((r) => r.ok);
    // The deployed API's answer (docs/openapi.json), with more parts checked.
    const body = healthSchema.parse({ ok, clock: options.clock.now().toISOString(), checks: results });
    return json(res, ok ? 200 : 503, body);
  }

  async function runJob(name: string, url: URL, res: ServerResponse): Promise<true> {
    const atText = url.searchParams.get("at");
    const at = atText === null ? undefined : new Date(atText);
    if (at !== undefined && Number.isNaN(at.getTime()))
      return json(res, 400, { error: `at must be an ISO 8601 date-time, got "${atText}"` });
    if (!options.jobs.names().includes(name))
      return json(res, 404, { error: `unknown job "${name}"`, jobs: options.jobs.names() });
    const runAt = at ?? options.clock.now();
    const members = url.searchParams.getAll("member");
    try {
      const report = await options.jobs.run(name, runAt, {
        force: url.searchParams.get("force") === "true",
        ...(members.length > 0 && { event: { members } }),
      });
      return json(res, 200, { job: name, at: runAt.toISOString(), report });
    } catch (error) {
      const status = error instanceof FutureJobRunRefused ? 409 : 500;
      return json(res, status, { job: name, at: runAt.toISOString(), error: failed(error).detail });
    }
  }

  const tokens = createLocalTokenIssuer({
    client: options.client,
    tableName: options.tableName,
    now: () => options.clock.now(),
  });

  async function issueToken(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = undefined;
    }
    const issued = await tokens.issue(body);
    return json(res, "error" in issued ? 400 : 200, issued);
  }

  /** Answers the local endpoints; false lets the request through to the API. */
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://local");
    const method = req.method ?? "GET";
    if (method === "GET" && url.pathname === "/health") return health(res);
    if (method === "POST" && url.pathname === "/_local/token") return issueToken(req, res);
    if (!url.pathname.startsWith("/_local/")) return false;
    req.resume();
    if (method === "GET" && url.pathname === "/_local/jobs") {
      const jobs = options.jobs
        .names()
        .map((name) => ({ name, schedule: describeSchedule(scheduleOf(name)) }));
      return json(res, 200, { clock: options.clock.mode, jobs });
    }
    const match = /^\/_local\/jobs\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (method === "POST" && match?.[1]) return runJob(match[1], url, res);
    return json(res, 404, { error: `no local endpoint ${method} ${url.pathname}` });
  };
}
