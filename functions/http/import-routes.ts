import * as z from "zod";
import type { ImportJobStore, StoredImportJob } from "../adapters/dynamo/import-job-store";
import { type ProblemCursor, problemPage } from "../migration/import-problems";
import { orNotFound, ValidationError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";
import type { TokenSigner } from "./signed-token";

// A deployed migration import's job (README "Operating Patron" → "Migration import"): an upload to the import
// bucket starts it (infra/member-imports.ts); these routes answer its status — its progress while it runs, its
// report once finished — and every problem of its rows, a page at a time.

const count = z.int().nonnegative();

export const importIdParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, {
      error: "id must be an import id (1-64 characters of A-Z, a-z, 0-9, _ or -)",
    })
    .describe("Import id: the uploaded file's name without its extension"),
});

const problemSchema = z.object({
  row: z.int().describe("Line of the row in the file (CSV: the header is line 1)"),
  field: z.string(),
  reason: z.string().describe("What is wrong; never the value"),
});

export const importViewSchema = z.object({
  importId: z.string(),
  status: z
    .enum(["checking", "importing", "succeeded", "failed"])
    .describe(
      "checking: every row is being checked (nothing written yet); importing: the rows are being written; " +
        "failed: see error (upload the file again to resume)",
    ),
  attempt: z.int().describe("Runs of this import id: an upload again after a failure is the next attempt"),
  mode: z.enum(["valid-rows", "all-or-nothing"]).optional().describe("From the upload's folder"),
  file: z.string().describe("s3://bucket/key of the uploaded file"),
  startedAt: z.string().describe("When this attempt started; the rows are judged at this time"),
  finishedAt: z.string().optional(),
  error: z
    .string()
    .optional()
    .describe("Why the import failed (a bad key, bad rows in all-or-nothing, a pass that failed)"),
  report: z
    .object({
      rows: count.describe("Data rows in the file"),
      imported: count,
      alreadyImported: count.describe(
        "Members this import id wrote before (an earlier attempt, or a retried batch)",
      ),
      rejected: count.describe("Rows with at least one problem"),
      problemCount: count,
      problems: z
        .array(problemSchema)
        .describe("The first 100 problems by row; every one: GET /imports/{id}/problems"),
    })
    .optional()
    .describe("Once finished"),
  progress: z
    .object({
      pass: z.enum(["check", "import"]).describe("check: rows judged, nothing written; import: rows written"),
      batches: count.describe("Batches of rows this pass has finished"),
      rowsDone: count.describe("Rows of those batches"),
      totalRows: count.optional().describe("Data rows in the file, once the check pass has counted them"),
      imported: count.describe("Members written so far (0 in the check pass)"),
      alreadyImported: count,
      rejected: count.describe(
        "Rows with a problem so far (in the check pass, a member's later rows are counted at the end)",
      ),
      problemCount: count.describe("Problems so far; each one: GET /imports/{id}/problems"),
    })
    .optional()
    .describe("While checking or importing: the current pass's finished batches, added up"),
  manifest: z
    .string()
    .optional()
    .describe("s3:// location of the last pass's Distributed Map result manifest"),
});

const problemsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe("Problems per page (1-1000)"),
  cursor: z.string().max(2048).optional().describe("`nextCursor` of the previous page"),
});

const problemsPageSchema = z.object({
  importId: z.string(),
  attempt: z.int().describe("The attempt the problems are of: the latest"),
  problems: z
    .array(problemSchema)
    .describe(
      "By row, then field: the check pass's and the import pass's, each (row, field, reason) once. A page may " +
        "hold fewer than `limit`; read on while nextCursor is there",
    ),
  nextCursor: z.string().optional().describe("Opaque; absent on the last page"),
});

// The cursor is signed: it holds where each stream of the attempt's problems resumes, for this import and
// attempt only (a cursor of an earlier attempt would skip or repeat problems).
const cursorPayload = z.object({
  i: z.string(),
  a: z.int(),
  l: z.tuple([z.int(), z.string(), z.string()]),
  c: z.int().nonnegative(),
  m: z.int().nonnegative(),
  d: z.int().nonnegative(),
});

const signCursor = (signer: TokenSigner, job: StoredImportJob, at: ProblemCursor) =>
  signer.sign("import-cursor", {
    i: job.importId,
    a: job.attempt,
    l: at.last,
    c: at.check,
    m: at.import,
    d: at.duplicates,
  });

function verifyCursor(signer: TokenSigner, job: StoredImportJob, cursor: string): ProblemCursor {
  const parsed = cursorPayload.safeParse(signer.verify("import-cursor", cursor));
  if (!parsed.success || parsed.data.i !== job.importId || parsed.data.a !== job.attempt)
    throw new ValidationError([
      { path: "query.cursor", message: "is not a cursor of this import's latest attempt" },
    ]);
  const { l, c, m, d } = parsed.data;
  return { last: l, check: c, import: m, duplicates: d };
}

/** The running pass's batches so far, with the file's rows once the check pass counted them. */
async function progressOf(jobs: ImportJobStore, job: StoredImportJob) {
  if (job.status !== "checking" && job.status !== "importing") return undefined;
  const pass = job.status === "checking" ? "check" : "import";
  const { rows, ...counts } = await jobs.progress(job, pass);
  return {
    pass,
    rowsDone: rows,
    ...(job.checkedRows !== undefined && { totalRows: job.checkedRows }),
    ...counts,
  } as const;
}

export function importRoutes(deps: HttpApiDeps): Route[] {
  const jobs = deps.importJobs;
  const jobOf = async (importId: string) => orNotFound(await jobs.get(importId), `No import ${importId}`);
  return [
    defineRoute({
      method: "GET",
      path: "/imports/{id}",
      operationId: "getImport",
      summary:
        "One migration import uploaded to the import bucket: its status, its progress while it runs and, once finished, its report",
      description:
        "The report keeps the first 100 problems; GET /imports/{id}/problems pages through every one.",
      access: "marketer",
      params: importIdParams,
      response: { status: 200, description: "The import", schema: importViewSchema },
      problems: [404],
      handle: async ({ params }) => {
        const job = await jobOf(params.id);
        const progress = await progressOf(jobs, job);
        return {
          importId: job.importId,
          status: job.status,
          attempt: job.attempt,
          ...(job.mode && { mode: job.mode }),
          file: `s3://${job.bucket}/${job.key}`,
          startedAt: job.importedAt,
          ...(job.finishedAt && { finishedAt: job.finishedAt }),
          ...(job.error && { error: job.error }),
          ...(job.report && { report: job.report }),
          ...(job.manifest && { manifest: job.manifest }),
          ...(progress && { progress }),
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/imports/{id}/problems",
      operationId: "getImportProblems",
      summary: "Every problem of a migration import's rows (row, field, reason — never a value), by row",
      description:
        "The latest attempt's: what the check pass found (a member on two rows included) and what the import " +
        "pass found writing (a member that exists already), each once, a page at a time. While the import " +
        "runs, the problems found so far.",
      access: "marketer",
      params: importIdParams,
      query: problemsQuerySchema,
      response: { status: 200, description: "One page of problems", schema: problemsPageSchema },
      problems: [404],
      handle: async ({ params, query }) => {
        const job = await jobOf(params.id);
        const after = query.cursor === undefined ? undefined : verifyCursor(deps.signer, job, query.cursor);
        const page = job.format
          ? await problemPage(deps.importProblems(job), {
              format: job.format,
              limit: query.limit,
              ...(after && { after }),
            })
          : { problems: [] };
        return {
          importId: job.importId,
          attempt: job.attempt,
          problems: page.problems,
          ...(page.next && { nextCursor: signCursor(deps.signer, job, page.next) }),
        };
      },
    }),
  ];
}
