import { parseArgs } from "node:util";
import { localServiceUrl } from "./local/ports";

// `npm run job -- <name>`: runs a scheduled job on the platform `npm start` runs, through its local-only
// endpoint POST /_local/jobs/<name> on the API port, and prints the job's report.

const usage = (api: { url: string; source: string }) => `Usage:
  npm run job -- <name> [--at <ISO date-time>]   run a scheduled job now (or as of --at) on the running platform
  npm run job -- --list                          list the jobs and their UTC schedules

Options:
  --at <time>   run as of this time; a time after the platform's clock is refused (the run could not be
                undone: due days counted done, points settled early, future-dated ledger entries)
  --force       run as of a future --at anyway
  --member <id> (repeatable) check just these members now, whatever day they are due; no due day is read
                or counted done, so the schedule is untouched (retention-job)
  --api <url>   the platform's API (here ${api.url}, ${api.source})`;

function fail(message: string, code = 2): never {
  console.error(`job: ${message}`);
  process.exit(code);
}

async function call(url: string, method: "GET" | "POST"): Promise<unknown> {
  // On stderr, so the report on stdout stays plain JSON.
  console.error(`job: ${method} ${url}`);
  let response: Response;
  try {
    response = await fetch(url, { method });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    return fail(
      `cannot reach the local platform at ${new URL(url).origin} (${cause}). Is \`npm start\` running?`,
      1,
    );
  }
  const body = (await response.json()) as { error?: string; jobs?: unknown };
  if (!response.ok) {
    const known = Array.isArray(body.jobs) ? ` (known jobs: ${body.jobs.join(", ") || "none"})` : "";
    return fail(`${body.error ?? `HTTP ${response.status}`}${known}`, 1);
  }
  return body;
}

async function main(): Promise<void> {
  let values: {
    at?: string;
    api?: string;
    list?: boolean;
    help?: boolean;
    force?: boolean;
    member?: string[];
  };
  let positionals: string[];
  let defaultApi: { url: string; source: string };
  try {
    defaultApi = localServiceUrl("api");
  } catch (error) {
    return fail((error as Error).message);
  }
  const usageText = usage(defaultApi);
  try {
    ({ values, positionals } = parseArgs({
      options: {
        at: { type: "string" },
        force: { type: "boolean" },
        member: { type: "string", multiple: true },
        api: { type: "string" },
        list: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usageText}`);
  }
  if (values.help) return console.log(usageText);
  const api = values.api ?? defaultApi.url;
  if (values.list) return console.log(JSON.stringify(await call(`${api}/_local/jobs`, "GET"), null, 2));
  const [name, ...rest] = positionals;
  if (name === undefined || rest.length > 0) fail(`give exactly one job name\n\n${usageText}`);
  if (values.at !== undefined && Number.isNaN(Date.parse(values.at)))
    fail(`--at must be an ISO 8601 date-time, e.g. 2026-03-01T03:00:00Z; got "${values.at}"`);
  const query = new URLSearchParams({
    ...(values.at !== undefined && { at: values.at }),
    ...(values.force && { force: "true" }),
  });
  for (const member of values.member ?? []) query.append("member", member);
  console.log(
    JSON.stringify(
      await call(
        `${api}/_local/jobs/${encodeURIComponent(name)}${query.size > 0 ? `?${query}` : ""}`,
        "POST",
      ),
      null,
      2,
    ),
  );
}

void main();
