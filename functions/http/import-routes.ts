import * as z from "zod";
import { NotFoundError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";

// A deployed migration import's job (README "Operating Patron" → "Migration import"): an upload to the import
// bucket starts it (infra/member-imports.ts); this route answers its status and, once finished, its report.

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
      problems: z.array(problemSchema).describe("The first 100 problems by row"),
    })
    .optional()
    .describe("Once finished"),
  manifest: z
    .string()
    .optional()
    .describe("s3:// location of the last pass's Distributed Map result manifest"),
});

export function importRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/imports/{id}",
      operationId: "getImport",
      tag: "marketer",
      summary:
        "One migration import uploaded to the import bucket: its status and, once finished, its report",
      access: "marketer",
      params: importIdParams,
      response: { status: 200, description: "The import", schema: importViewSchema },
      problems: [404],
      handle: async ({ params }) => {
        const job = await deps.importJobs.get(params.id);
        if (!job) throw new NotFoundError(`No import ${params.id}`);
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
        };
      },
    }),
  ];
}
