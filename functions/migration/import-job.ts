import type {
  BatchRecord,
  ImportJobStore,
  ImportReport,
  StoredImportJob,
} from "../adapters/dynamo/import-job-store";
import type { ImportFormat, ImportJobRef, ImportMode } from "./import-batch";
import { DUPLICATE_MEMBER } from "./import-members";
import type { RowProblem } from "./import-row-schema";

// A deployed import's job, from the upload's S3 event to its report (README "Operating Patron" → "Migration
// import"): "start" reads the mode and import id from the object key and begins an attempt; after the check pass
// "checked" decides whether the import pass runs (all-or-nothing: only with no problem at all); "finish" writes
// the final status and report. Every step may run twice: each is a conditional move of this attempt's job.

export const UPLOAD_PREFIX = "uploads/";
export const RESULTS_PREFIX = "results/";
/** Problems the job's report keeps (its counts stay exact). */
export const MAX_REPORTED_PROBLEMS = 100;
/** A run still checking or importing after this long has died (the state machine times out sooner). */
const STALE_RUN_MS = 25 * 3_600_000;

const MODES: readonly ImportMode[] = ["valid-rows", "all-or-nothing"];
const IMPORT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEY = /^uploads\/([^/]*)\/([^/]*?)(?:\.([^./]*))?$/;

export type UploadKey =
  | { ok: true; importId: string; mode: ImportMode; format: ImportFormat }
  | { ok: false; importId?: string; reason: string };

/** `uploads/<mode>/<import id>.csv|.jsonl`, or why not. */
export function parseUploadKey(key: string): UploadKey {
  const match = KEY.exec(key);
  const expected = "the key must be uploads/<valid-rows|all-or-nothing>/<import id>.csv or .jsonl";
  if (!match) return { ok: false, reason: expected };
  const [, mode = "", importId = "", extension = ""] = match;
  if (!IMPORT_ID.test(importId))
    return {
      ok: false,
      reason: 'the import id (the file name) must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"',
    };
  if (!(MODES as readonly string[]).includes(mode))
    return { ok: false, importId, reason: `the folder after uploads/ must be valid-rows or all-or-nothing` };
  if (extension !== "csv" && extension !== "jsonl")
    return { ok: false, importId, reason: "the file must end in .csv or .jsonl" };
  return { ok: true, importId, mode: mode as ImportMode, format: extension };
}

export type StartAnswer = { proceed: true; job: ImportJobRef } | { proceed: false; reason: string };

export interface JobDeps {
  jobs: ImportJobStore;
  clock: () => Date;
}

/** Begins an attempt for the uploaded object: a new import, or one that failed (it resumes). */
export async function startImport(
  deps: JobDeps,
  upload: { bucket: string; key: string },
): Promise<StartAnswer> {
  const now = deps.clock().toISOString();
  const parsed = parseUploadKey(upload.key);
  if (!parsed.ok && parsed.importId === undefined) return { proceed: false, reason: parsed.reason };
  const importId = parsed.ok ? parsed.importId : (parsed.importId as string);
  const previous = await deps.jobs.get(importId);
  if (previous?.status === "succeeded")
    return {
      proceed: false,
      reason: `import ${importId} succeeded already; a new file needs a new import id`,
    };
  const running = previous?.status === "checking" || previous?.status === "importing";
  if (running && Date.parse(previous.importedAt) > Date.parse(now) - STALE_RUN_MS)
    return { proceed: false, reason: `import ${importId} is running` };
  const job: StoredImportJob = {
    importId,
    status: parsed.ok ? "checking" : "failed",
    attempt: (previous?.attempt ?? 0) + 1,
    ...(parsed.ok && { mode: parsed.mode, format: parsed.format }),
    bucket: upload.bucket,
    key: upload.key,
    importedAt: now,
    receivedAt: previous?.receivedAt ?? now,
    ...(!parsed.ok && { error: parsed.reason, finishedAt: now }),
  };
  if (!(await deps.jobs.begin(job, previous)))
    return { proceed: false, reason: `import ${importId} was started by another run` };
  if (!parsed.ok) return { proceed: false, reason: parsed.reason };
  const { mode, format } = parsed;
  return { proceed: true, job: { importId, attempt: job.attempt, mode, format, importedAt: now } };
}

/**
 * The counts and first problems of a pass's batches, with the rows found on an earlier row of the file (every
 * problem: GET /imports/{id}/problems).
 */
export function reportOf(
  batches: readonly BatchRecord[],
  duplicateRows: readonly number[] = [],
): ImportReport {
  const rejected = new Set<number>(duplicateRows);
  const problems: RowProblem[] = duplicateRows.map((row) => ({
    row,
    field: "member_id",
    reason: DUPLICATE_MEMBER,
  }));
  const report = {
    rows: 0,
    imported: 0,
    alreadyImported: 0,
    rejected: 0,
    problemCount: duplicateRows.length,
  };
  for (const batch of batches) {
    report.rows += batch.rows;
    report.imported += batch.imported;
    report.alreadyImported += batch.alreadyImported;
    report.problemCount += batch.problemCount;
    for (const row of batch.rejectedRows) rejected.add(row);
    problems.push(...batch.problems);
  }
  problems.sort((a, b) => a.row - b.row);
  return { ...report, rejected: rejected.size, problems: problems.slice(0, MAX_REPORTED_PROBLEMS) };
}

export interface PassEnd {
  importId: string;
  attempt: number;
  /** The pass's result manifest, s3://bucket/key. */
  manifest?: string;
}

/** After the check pass: the import pass runs, or (all-or-nothing, some problem) the job fails unwritten. */
export async function finishCheck(deps: JobDeps, end: PassEnd): Promise<{ proceed: boolean }> {
  const job = await deps.jobs.get(end.importId);
  if (!job || job.attempt !== end.attempt) return { proceed: false };
  const at = deps.clock().toISOString();
  const manifest = end.manifest !== undefined ? { manifest: end.manifest } : {};
  if (job.mode === "all-or-nothing") {
    const report = reportOf(await deps.jobs.batches(job, "check"), await deps.jobs.duplicates(job));
    if (report.rejected > 0) {
      const error = `${report.rejected} rows have problems: nothing was written (upload to uploads/valid-rows/ to import the others)`;
      const base = { attempt: end.attempt, from: ["checking" as const], to: "failed" as const, at };
      await deps.jobs.transition(end.importId, { ...base, error, report, ...manifest });
      return { proceed: false };
    }
  }
  // The file's size, for the import pass's progress (GET /imports/{id}).
  const { rows } = await deps.jobs.progress(job, "check");
  const moved = await deps.jobs.transition(end.importId, {
    attempt: end.attempt,
    from: ["checking"],
    to: "importing",
    at,
    checkedRows: rows,
    ...manifest,
  });
  return { proceed: moved || job.status === "importing" };
}

/** The attempt's final status and report: succeeded, or failed with why (an upload again resumes it). */
export async function finishImport(
  deps: JobDeps,
  end: PassEnd & { error?: string },
): Promise<StoredImportJob | undefined> {
  const job = await deps.jobs.get(end.importId);
  if (!job || job.attempt !== end.attempt) return job;
  const imported = await deps.jobs.batches(job, "import");
  const report =
    job.status === "importing"
      ? reportOf(imported)
      : reportOf(await deps.jobs.batches(job, "check"), await deps.jobs.duplicates(job));
  await deps.jobs.transition(end.importId, {
    attempt: end.attempt,
    from: ["checking", "importing"],
    to: end.error === undefined ? "succeeded" : "failed",
    at: deps.clock().toISOString(),
    report,
    ...(end.error !== undefined && { error: end.error }),
    ...(end.manifest !== undefined && { manifest: end.manifest }),
  });
  return deps.jobs.get(end.importId);
}
