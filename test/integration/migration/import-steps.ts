import { parse } from "csv-parse/sync";
import { afterAll, beforeAll } from "vitest";
import type { Program } from "../../../domain";
import { createMemberImportHandler } from "../../../functions/handlers/member-import";
import { createLogger } from "../../../functions/shared/logger";
import { localLambdaContext } from "../../../scripts/local/consumers";
import { marketerToken, startTestApi, type TestApi } from "../http/http-fixture";

// The deployed import's steps without AWS: Step Functions cannot run offline, so the tests drive the member-import
// handler as the state machine does (infra/member-imports.ts), on the test API's DynamoDB Local — start from the
// upload's key, batches of header-keyed records with their index (as the Distributed Map's CSV reader and
// ItemSelector hand them over), checked, finish — and read the job through the API as a marketer.

export const IMPORT_BUCKET = "patron-imports-test";
export const IMPORT_BATCH = 40;

export interface Job {
  importId: string;
  attempt: number;
  importedAt: string;
}
export type Items = { index: number; record: unknown }[];
export type Started = { proceed: true; job: Job } | { proceed: false; reason: string };

/** The file's items as the Distributed Map reads them, in batches of IMPORT_BATCH. */
export const batchesOf = (items: Items): Items[] =>
  Array.from({ length: Math.ceil(items.length / IMPORT_BATCH) }, (_, i) =>
    items.slice(i * IMPORT_BATCH, (i + 1) * IMPORT_BATCH),
  );
export const csvItems = (csv: string): Items =>
  (parse(csv, { columns: true }) as Record<string, string>[]).map((record, index) => ({ index, record }));
export const pick = (job: Job) => ({ importId: job.importId, attempt: job.attempt });

/** Starts a test API for the file's tests (before all, stopped after all) and the steps on it. */
export function importStepsOnTestApi() {
  let t: TestApi | undefined;
  let marketer = "";
  let invoke: (event: unknown) => Promise<unknown> = async () => {
    throw new Error("the test API is not started");
  };
  beforeAll(async () => {
    t = await startTestApi();
    marketer = await marketerToken("migrator");
    const step = createMemberImportHandler({
      jobs: t.api.deps.importJobs,
      members: t.api.deps.members,
      programs: t.api.deps.programs,
      clock: () => new Date(),
      logger: createLogger({ logLevel: "SILENT" }),
    });
    invoke = (event) => step(event, localLambdaContext("member-import-test", "request-1"));
  });
  afterAll(async () => {
    await t?.stop();
  });
  const api = () => {
    if (!t) throw new Error("the test API is not started");
    return t;
  };
  return {
    api,
    invoke: (event: unknown) => invoke(event),
    start: async (key: string) => (await invoke({ action: "start", bucket: IMPORT_BUCKET, key })) as Started,
    batch: (job: Job, pass: "check" | "import", items: Items) =>
      invoke({ action: "batch", pass, job, items }),
    getImport: (id: string, path = "") => api().call("GET", `/imports/${id}${path}`, { token: marketer }),
    async programAt(at: string): Promise<Program> {
      const program = await api().api.deps.programs.inEffectAt(at);
      if (!program) throw new Error("no program in effect");
      return program;
    },
  };
}
