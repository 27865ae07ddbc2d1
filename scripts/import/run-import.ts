import {
  type CheckedRow,
  classifyRows,
  type ImportContext,
  importMember,
  type RowOutcome,
} from "../../functions/migration/import-members";
import type { RowProblem } from "../../functions/migration/import-row-schema";
import { type BackoffOptions, backoffDelay, sleep } from "../../functions/shared/backoff";
import type { ReadImport } from "./import-file";

// One import run over a checked file: classify every row from reads (imported before? someone Patron already
// holds?), then — unless it is a dry run, or an all-or-nothing import with any bad row — write the new members
// in batches, a bounded number at a time, retrying a batch's unfinished members with backoff.

export type ImportMode = "all-or-nothing" | "valid-rows";

export interface ImportOptions {
  mode: ImportMode;
  dryRun: boolean;
  /** Members per batch, written in parallel (default 10). */
  batchSize?: number;
  /** Batches in flight (default 4). */
  concurrency?: number;
  /** Attempts per batch before its unfinished members count as failed (default 5). */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Called as rows are settled: done so far of the total rows. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  importId: string;
  mode: ImportMode;
  dryRun: boolean;
  rows: number;
  imported: number;
  /** Dry run: members a real run would import. */
  wouldImport: number;
  alreadyImported: number;
  rejected: number;
  /** "field: reason" → rows. */
  rejectedByReason: Record<string, number>;
  /** Rows whose writes kept failing after every attempt (retry the import: it resumes). */
  failed: { row: number; memberId: string; error: string }[];
  /** True when an all-or-nothing import wrote nothing because of bad rows. */
  aborted: boolean;
  problems: RowProblem[];
  seconds: number;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 100, capMs: 5_000 };
const CLASSIFY_CHUNK = 100;

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Writes one batch; members whose write threw are tried again, the batch as a whole at most maxAttempts. */
async function writeBatch(
  ctx: ImportContext,
  batch: CheckedRow[],
  options: { maxAttempts: number; backoff: BackoffOptions },
): Promise<{ outcomes: RowOutcome[]; failed: ImportSummary["failed"] }> {
  const outcomes: RowOutcome[] = [];
  let remaining = batch;
  let lastErrors = new Map<number, string>();
  for (let attempt = 1; attempt <= options.maxAttempts && remaining.length > 0; attempt++) {
    if (attempt > 1) await sleep(backoffDelay(attempt - 1, options.backoff));
    const settled = await Promise.allSettled(remaining.map((row) => importMember(ctx, row)));
    lastErrors = new Map();
    const retry: typeof remaining = [];
    settled.forEach((result, i) => {
      const item = remaining[i] as (typeof remaining)[number];
      if (result.status === "fulfilled") outcomes.push(result.value);
      else {
        retry.push(item);
        lastErrors.set(item.row, (result.reason as Error)?.name ?? "Error");
      }
    });
    remaining = retry;
  }
  const failed = remaining.map((row) => ({
    row: row.row,
    memberId: row.data.member_id,
    error: lastErrors.get(row.row) ?? "Error",
  }));
  return { outcomes, failed };
}

export async function runImport(
  ctx: ImportContext,
  read: ReadImport,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const problems: RowProblem[] = [...read.problems];
  const settled: RowOutcome[] = [];
  const fresh: CheckedRow[] = [];
  let done = new Set(read.problems.map((p) => p.row)).size;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, read.total);
  };
  await pool(chunks(read.rows, CLASSIFY_CHUNK), options.concurrency ?? 4, async (chunk) => {
    const classified = await classifyRows(ctx, chunk);
    fresh.push(...classified.fresh);
    settled.push(...classified.settled);
    if (options.dryRun) progress(chunk.length);
  });
  // A row the import day now rules out (a lot expired since) may have been imported by an earlier run.
  const ruledOut = await classifyRows(
    ctx,
    read.ruledOut.map((r) => r.row),
  );
  const importedBefore = ruledOut.settled.filter((o) => o.outcome === "already-imported");
  settled.push(...importedBefore);
  const before = new Set(importedBefore.map((o) => o.row));
  for (const r of read.ruledOut) if (!before.has(r.row.row)) problems.push(...r.problems);
  const rejectedOnRead = settled.filter((o) => o.outcome === "rejected");
  problems.push(...rejectedOnRead.map((o) => ({ row: o.row, field: o.field, reason: o.reason })));
  done += read.ruledOut.length;
  const aborted = options.mode === "all-or-nothing" && problems.length > 0;
  const outcomes: RowOutcome[] = [...settled];
  const failed: ImportSummary["failed"] = [];

  if (!options.dryRun && !aborted) {
    progress(settled.length);
    await pool(chunks(fresh, options.batchSize ?? 10), options.concurrency ?? 4, async (batch) => {
      const result = await writeBatch(ctx, batch, {
        maxAttempts: options.maxAttempts ?? 5,
        backoff: options.backoff ?? DEFAULT_BACKOFF,
      });
      outcomes.push(...result.outcomes);
      for (const o of result.outcomes)
        if (o.outcome === "rejected") problems.push({ row: o.row, field: o.field, reason: o.reason });
      failed.push(...result.failed);
      progress(batch.length);
    });
  }
  problems.sort((a, b) => a.row - b.row);
  const rejectedByReason: Record<string, number> = {};
  for (const p of problems)
    rejectedByReason[`${p.field}: ${p.reason}`] = (rejectedByReason[`${p.field}: ${p.reason}`] ?? 0) + 1;
  const count = (outcome: RowOutcome["outcome"]) => outcomes.filter((o) => o.outcome === outcome).length;
  return {
    importId: ctx.importId,
    mode: options.mode,
    dryRun: options.dryRun,
    rows: read.total,
    imported: count("imported"),
    wouldImport: options.dryRun && !aborted ? fresh.length : 0,
    alreadyImported: count("already-imported"),
    rejected: new Set(problems.map((p) => p.row)).size,
    rejectedByReason,
    failed,
    aborted,
    problems,
    seconds: (performance.now() - started) / 1000,
  };
}
