import type { Program } from "../../domain";
import type { BatchRecord, ImportJobStore, ImportPass } from "../adapters/dynamo/import-job-store";
import type { MemberRepository } from "../adapters/dynamo/member-repository";
import { backoffDelay, sleep } from "../shared/backoff";
import { checkRecord } from "./check-record";
import {
  type CheckedRow,
  classifyRows,
  DUPLICATE_MEMBER,
  importMember,
  type RowOutcome,
} from "./import-members";
import type { RowProblem } from "./import-row-schema";

// One batch of a deployed import's file, as the Distributed Map hands it over (infra/member-imports.ts): the
// rows judged as the CLI judges them (check-record.ts, classifyRows, importMember), in one of two passes over
// the file. "check" writes no member: it claims each row's member id (so that a member on two rows is found
// across batches) and finds every problem, which an all-or-nothing import needs before it writes anything.
// "import" writes the new members. A batch's result is recorded once; delivered again (a retry after the
// result was recorded), the batch answers the recorded result and does nothing.

export type ImportFormat = "csv" | "jsonl";
export type ImportMode = "valid-rows" | "all-or-nothing";

export interface ImportJobRef {
  importId: string;
  attempt: number;
  mode: ImportMode;
  format: ImportFormat;
  /** The attempt's start: the rows are judged at this time, by the program in effect then. */
  importedAt: string;
}

/** One item of the batch: its index in the file ($$.Map.Item.Index) and the record the reader made of it. */
export interface BatchItem {
  index: number;
  record: unknown;
}

export interface BatchDeps {
  members: MemberRepository;
  jobs: ImportJobStore;
  program: Program;
}

/**
 * Problems a batch's answer to the state machine carries into the result manifest (Step Functions passes at most
 * 256 KB); its record keeps every one (GET /imports/{id}/problems).
 */
export const MAX_RESULT_PROBLEMS = 50;
const WRITE_CONCURRENCY = 10;
const WRITE_ATTEMPTS = 3;

/**
 * The row number the CLI reports for item `index`: CSV counts the header as line 1, so the first data row is
 * line 2; JSON Lines counts lines from 1. (A quoted CSV cell across lines, or a blank line, shifts it.)
 */
export const rowOf = (format: ImportFormat, index: number): number => index + (format === "csv" ? 2 : 1);

/** A CSV record as the CLI reads it: header names trimmed and lower-cased, cells trimmed. */
export function normalizeRecord(format: ImportFormat, record: unknown): unknown {
  if (format !== "csv" || typeof record !== "object" || record === null) return record;
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => [
      name.trim().toLowerCase(),
      typeof value === "string" ? value.trim() : value,
    ]),
  );
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Writes the new members; a member whose write throws is tried again, then the batch fails (and is retried). */
async function writeMembers(
  ctx: Parameters<typeof importMember>[0],
  rows: CheckedRow[],
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  let remaining = rows;
  for (let attempt = 1; remaining.length > 0; attempt += 1) {
    if (attempt > WRITE_ATTEMPTS)
      throw new Error(`${remaining.length} members of the batch could not be written; the batch is retried`);
    if (attempt > 1) await sleep(backoffDelay(attempt - 1, { baseMs: 100, capMs: 2_000 }));
    const failed: CheckedRow[] = [];
    await eachLimit(remaining, WRITE_CONCURRENCY, async (row) => {
      try {
        outcomes.push(await importMember(ctx, row));
      } catch {
        failed.push(row);
      }
    });
    remaining = failed;
  }
  return outcomes;
}

/** The rows of a member's claim other than its first: each is on a later row than the member's first. */
const laterRows = (rows: readonly number[]): number[] => {
  const first = Math.min(...rows);
  return rows.filter((row) => row !== first);
};

export async function runBatch(
  deps: BatchDeps,
  job: ImportJobRef,
  pass: ImportPass,
  items: readonly BatchItem[],
): Promise<BatchRecord> {
  const first = Math.min(...items.map((item) => item.index));
  const recorded = await deps.jobs.getBatch(job, pass, first);
  if (recorded) return recorded;

  const ctx = {
    members: deps.members,
    program: deps.program,
    importId: job.importId,
    importedAt: job.importedAt,
  };
  const problems: RowProblem[] = [];
  const outcomes: RowOutcome[] = [];
  let candidates: CheckedRow[] = [];
  const ruledOut: { row: CheckedRow; problems: RowProblem[] }[] = [];
  for (const item of items) {
    const checked = checkRecord(ctx, normalizeRecord(job.format, item.record), rowOf(job.format, item.index));
    if (checked.kind === "bad") problems.push(...checked.problems);
    else if (checked.kind === "ruled-out") ruledOut.push(checked);
    else candidates.push(checked.row);
  }

  // A member on two rows: the later rows are rejected, as the CLI does. The check pass collects every row's
  // claim; whichever of two rows is claimed second sees both, and notes the later one (idempotently).
  const ids = candidates.map((row) => ({ memberId: row.data.member_id, row: row.row }));
  if (pass === "check") {
    const claims = await deps.jobs.claim(job, ids);
    const later = new Set([...claims.values()].flatMap(laterRows));
    await deps.jobs.addDuplicates(job, [...later]);
    candidates = candidates.filter((row) => !later.has(row.row));
  } else {
    const claims = await deps.jobs.claims(
      job,
      ids.map((id) => id.memberId),
    );
    const duplicates = candidates.filter((row) =>
      laterRows(claims.get(row.data.member_id) ?? []).includes(row.row),
    );
    problems.push(
      ...duplicates.map((row) => ({ row: row.row, field: "member_id", reason: DUPLICATE_MEMBER })),
    );
    candidates = candidates.filter((row) => !duplicates.includes(row));
  }

  const classified = await classifyRows(ctx, candidates);
  outcomes.push(...classified.settled);
  // A row the import day now rules out (a lot expired since) may have been imported by an earlier attempt.
  const before = await classifyRows(
    ctx,
    ruledOut.map((r) => r.row),
  );
  const importedBefore = before.settled.filter((o) => o.outcome === "already-imported");
  outcomes.push(...importedBefore);
  const beforeRows = new Set(importedBefore.map((o) => o.row));
  for (const r of ruledOut) if (!beforeRows.has(r.row.row)) problems.push(...r.problems);
  if (pass === "import") outcomes.push(...(await writeMembers(ctx, classified.fresh)));
  for (const o of outcomes)
    if (o.outcome === "rejected") problems.push({ row: o.row, field: o.field, reason: o.reason });

  problems.sort((a, b) => a.row - b.row);
  const rejectedRows = [...new Set(problems.map((p) => p.row))];
  const count = (outcome: RowOutcome["outcome"]) => outcomes.filter((o) => o.outcome === outcome).length;
  return deps.jobs.recordBatch(job, pass, {
    first,
    rows: items.length,
    imported: count("imported"),
    alreadyImported: count("already-imported"),
    rejected: rejectedRows.length,
    rejectedRows,
    problemCount: problems.length,
    problems,
  });
}
