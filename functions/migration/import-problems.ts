import type { ImportPass } from "../adapters/dynamo/import-job-store";
import { type ImportFormat, rowOf } from "./import-batch";
import { DUPLICATE_MEMBER } from "./import-members";
import type { RowProblem } from "./import-row-schema";

// Every problem of a deployed import's latest attempt, a page at a time in row order (GET /imports/{id}/problems):
// the check pass's batches, the rows the check pass found on an earlier row too, and the import pass's batches
// (which judge every row again, and add what only writing finds: a member that exists already) — each
// (row, field, reason) once. Three sorted streams merged: a batch's rows all come at or after its first item's
// row, so a problem is answered only once no stream's unread part can hold an earlier row.

export type ProblemKey = readonly [row: number, field: string, reason: string];

/** Where the next page starts: after `last`; each stream resumes at a batch's first item index or a row. */
export interface ProblemCursor {
  last: ProblemKey;
  check: number;
  import: number;
  duplicates: number;
}

/** Some of a stream, and whether more may follow (a read may stop short of `limit`: DynamoDB's 1 MB). */
export interface SourceRead<T> {
  items: T[];
  more: boolean;
}

export interface ProblemSource {
  /** Up to `limit` batches of the pass whose first item index is `fromFirst` or later, by first item index. */
  batches(
    pass: ImportPass,
    fromFirst: number,
    limit: number,
  ): Promise<SourceRead<{ first: number; problems: RowProblem[] }>>;
  /** Up to `limit` rows found on an earlier row too, from `fromRow` on, ascending. */
  duplicates(fromRow: number, limit: number): Promise<SourceRead<number>>;
}

export interface ProblemPage {
  problems: RowProblem[];
  /** Absent once every problem was answered. */
  next?: ProblemCursor;
}

/** Batches (or duplicate rows) a stream reads first; each further read of a page asks for twice as many. */
const FIRST_CHUNK = 25;
const MAX_CHUNK = 400;

export function compareProblems(a: RowProblem, b: RowProblem): number {
  if (a.row !== b.row) return a.row - b.row;
  if (a.field !== b.field) return a.field < b.field ? -1 : 1;
  return a.reason === b.reason ? 0 : a.reason < b.reason ? -1 : 1;
}

const keyOf = (p: RowProblem): ProblemKey => [p.row, p.field, p.reason];
const fromKey = ([row, field, reason]: ProblemKey): RowProblem => ({ row, field, reason });

interface Stream {
  /** Read and not yet answered: each entry with the position it resumes from. */
  entries: { resume: number; problems: RowProblem[] }[];
  /** The position of the first unread entry. */
  next: number;
  done: boolean;
  chunk: number;
  /** The lowest row an unread entry may hold. */
  frontier(): number;
  read(): Promise<void>;
}

function batchStream(source: ProblemSource, pass: ImportPass, format: ImportFormat, from: number): Stream {
  const stream: Stream = {
    entries: [],
    next: from,
    done: false,
    chunk: FIRST_CHUNK,
    frontier: () => (stream.done ? Number.POSITIVE_INFINITY : rowOf(format, stream.next)),
    async read() {
      const read = await source.batches(pass, stream.next, stream.chunk);
      for (const b of read.items) stream.entries.push({ resume: b.first, problems: b.problems });
      const last = read.items.at(-1);
      if (last) stream.next = last.first + 1;
      stream.done = !read.more;
      stream.chunk = Math.min(stream.chunk * 2, MAX_CHUNK);
    },
  };
  return stream;
}

function duplicateStream(source: ProblemSource, from: number): Stream {
  const stream: Stream = {
    entries: [],
    next: from,
    done: false,
    chunk: FIRST_CHUNK,
    frontier: () => (stream.done ? Number.POSITIVE_INFINITY : stream.next),
    async read() {
      const read = await source.duplicates(stream.next, stream.chunk);
      for (const row of read.items)
        stream.entries.push({
          resume: row,
          problems: [{ row, field: "member_id", reason: DUPLICATE_MEMBER }],
        });
      const last = read.items.at(-1);
      if (last !== undefined) stream.next = last + 1;
      stream.done = !read.more;
      stream.chunk = Math.min(stream.chunk * 2, MAX_CHUNK);
    },
  };
  return stream;
}

/** The next `limit` problems after the cursor (the first ones without), and the cursor after them. */
export async function problemPage(
  source: ProblemSource,
  options: { format: ImportFormat; limit: number; after?: ProblemCursor },
): Promise<ProblemPage> {
  const { after } = options;
  const last = after && fromKey(after.last);
  const streams = {
    check: batchStream(source, "check", options.format, after?.check ?? 0),
    import: batchStream(source, "import", options.format, after?.import ?? 0),
    duplicates: duplicateStream(source, after?.duplicates ?? 0),
  };
  const all = Object.values(streams);
  const isAfter = (p: RowProblem) => last === undefined || compareProblems(p, last) > 0;

  for (;;) {
    for (const s of all)
      s.entries = s.entries
        .map((e) => ({ ...e, problems: e.problems.filter(isAfter) }))
        .filter((e) => e.problems.length > 0);
    const frontier = Math.min(...all.map((s) => s.frontier()));
    const ready = unique(all.flatMap((s) => s.entries.flatMap((e) => e.problems))).filter(
      (p) => p.row < frontier,
    );
    if (ready.length >= options.limit || frontier === Number.POSITIVE_INFINITY) {
      const problems = ready.slice(0, options.limit);
      const end = problems.at(-1);
      const more = ready.length > problems.length || all.some((s) => !s.done);
      if (!more || end === undefined) return { problems };
      const resume = (s: Stream) =>
        Math.min(
          s.next,
          ...s.entries
            .filter((e) => e.problems.some((p) => compareProblems(p, end) > 0))
            .map((e) => e.resume),
        );
      return {
        problems,
        next: {
          last: keyOf(end),
          check: resume(streams.check),
          import: resume(streams.import),
          duplicates: resume(streams.duplicates),
        },
      };
    }
    const lowest = all.filter((s) => !s.done).sort((a, b) => a.frontier() - b.frontier())[0];
    await lowest?.read();
  }
}

/** Sorted, each (row, field, reason) once. */
function unique(problems: RowProblem[]): RowProblem[] {
  const sorted = [...problems].sort(compareProblems);
  return sorted.filter((p, i) => i === 0 || compareProblems(p, sorted[i - 1] as RowProblem) !== 0);
}
