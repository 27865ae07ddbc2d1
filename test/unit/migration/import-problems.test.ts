import { marshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ImportPass } from "../../../functions/adapters/dynamo/import-job-store";
import { decodeProblems, encodeProblems } from "../../../functions/adapters/dynamo/import-problem-codec";
import { itemSize } from "../../../functions/adapters/dynamo/item-size";
import { importBatchKey } from "../../../functions/adapters/dynamo/keys";
import { rowOf } from "../../../functions/migration/import-batch";
import { DUPLICATE_MEMBER } from "../../../functions/migration/import-members";
import {
  compareProblems,
  type ProblemCursor,
  type ProblemSource,
  problemPage,
} from "../../../functions/migration/import-problems";
import {
  IMPORT_FIELDS,
  MAX_FIELD_NAME,
  MAX_UNKNOWN_FIELDS,
  MORE_UNKNOWN_FIELDS,
  parseImportRow,
  type RowProblem,
} from "../../../functions/migration/import-row-schema";

// Every problem of a deployed import, kept and paged: a row's problems stay few whatever the row holds, a batch's
// problems stored compactly stay far below DynamoDB's 400 KB item, and the pages of the merged check pass, import
// pass and duplicate rows give every problem once, in row order.

/** Problems one row may have (the property below holds it), and the longest reason. */
const ROW_PROBLEM_BOUND = 60;
const REASON_LENGTH_BOUND = 120;
const BATCH_ROWS = 100;

const leaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    "1@2020-01-01;x@y;-1@2030-01-01;0@2030-02-02",
    "2020-13:1:1;x;2024-01:-1:a",
    `zz:1;:;a:-5;${"x".repeat(70)}:1`,
    "true",
    "9".repeat(30),
  ),
);
const parts = [
  "points",
  "expires_on",
  "month",
  "status_points",
  "spend_minor",
  "rule_id",
  "punches",
  "count",
];
const junk = fc.oneof(
  leaf,
  fc.array(fc.oneof(leaf, fc.dictionary(fc.constantFrom(...parts), leaf)), { maxLength: 60 }),
  fc.dictionary(fc.string({ maxLength: 3 }), leaf),
);
const junkRecord = fc
  .tuple(
    fc.record(Object.fromEntries(IMPORT_FIELDS.map((f) => [f, junk])), { requiredKeys: [] }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 80 }), leaf, { maxKeys: 9 }),
  )
  .map(([known, unknown]) => ({ ...unknown, ...known }));

describe("a row's problems", () => {
  it("name each (field, reason) once, at most 5 unknown fields, and stay few whatever the row holds", () => {
    const reasons = new Set<string>();
    fc.assert(
      fc.property(junkRecord, (record) => {
        const parsed = parseImportRow(record, 7);
        if (parsed.ok) return;
        const keys = parsed.problems.map((p) => `${p.field}|${p.reason}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(parsed.problems.length).toBeLessThanOrEqual(ROW_PROBLEM_BOUND);
        for (const p of parsed.problems) {
          expect(p.row).toBe(7);
          expect(p.field.length).toBeLessThanOrEqual(MAX_FIELD_NAME);
          expect(p.reason.length).toBeLessThanOrEqual(REASON_LENGTH_BOUND);
          reasons.add(p.reason);
        }
      }),
      { numRuns: 600 },
    );
    // Reasons come from the code, not the file: a small vocabulary repeated from row to row.
    expect(reasons.size).toBeLessThan(100);
  });

  it("say a list's wrong items once, and cut unknown fields beyond 5 to one problem", () => {
    const lots = Array.from({ length: 50 }, () => ({ points: 0, expires_on: "later" }));
    const parsed = parseImportRow({ lots }, 2);
    if (parsed.ok) throw new Error("a row without fields is bad");
    const onLots = parsed.problems.filter((p) => p.field === "lots");
    expect(onLots.map((p) => p.reason).sort()).toEqual(["must be a day YYYY-MM-DD", "must be at least 1"]);

    const unknown = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`extra_${i}_${"x".repeat(i === 0 ? 100 : 0)}`, "v"]),
    );
    const wide = parseImportRow(unknown, 3);
    if (wide.ok) throw new Error("unknown fields are problems");
    const notFields = wide.problems.filter((p) => p.reason === "not a field of the format");
    expect(notFields).toHaveLength(MAX_UNKNOWN_FIELDS);
    expect(notFields[0]?.field).toHaveLength(MAX_FIELD_NAME);
    expect(notFields[0]?.field.endsWith("…")).toBe(true);
    expect(wide.problems).toContainEqual({ row: 3, field: "row", reason: MORE_UNKNOWN_FIELDS });
  });
});

const problemArb = fc.record({
  row: fc.integer({ min: 1, max: 999_999_999 }),
  field: fc.string({ maxLength: 70 }),
  reason: fc.string({ maxLength: 130 }),
});

describe("a batch's stored problems", () => {
  it("decode to the problems encoded, in their order", () => {
    fc.assert(
      fc.property(fc.array(problemArb, { maxLength: 300 }), (problems) => {
        expect(decodeProblems(encodeProblems(problems))).toEqual(problems);
      }),
    );
  });

  it("stay below half of DynamoDB's 400 KB item for 100 rows with every problem a row can have", () => {
    // Worst case: every row at the bound, 5 unknown fields of the longest name on each row (none shared), and
    // reasons from a vocabulary as large and as long as the property above allows.
    const reason = (i: number) => `${i % 99}`.padEnd(REASON_LENGTH_BOUND, "r");
    const problems: RowProblem[] = [];
    for (let r = 0; r < BATCH_ROWS; r += 1) {
      const row = 999_999_000 + r;
      for (let u = 0; u < MAX_UNKNOWN_FIELDS; u += 1)
        problems.push({ row, field: `${r}-${u}`.padEnd(MAX_FIELD_NAME, "f"), reason: "not a field" });
      problems.push({ row, field: "row", reason: MORE_UNKNOWN_FIELDS });
      for (let k = 0; k < ROW_PROBLEM_BOUND - MAX_UNKNOWN_FIELDS - 1; k += 1)
        problems.push({
          row,
          field: IMPORT_FIELDS[k % IMPORT_FIELDS.length] as string,
          reason: reason(r + k),
        });
    }
    const item = {
      ...importBatchKey("a".repeat(64), 999, "import", 999_999_000),
      ...marshall({
        batch: {
          first: 999_999_000,
          rows: BATCH_ROWS,
          imported: 0,
          alreadyImported: 0,
          rejected: BATCH_ROWS,
          rejectedRows: Array.from({ length: BATCH_ROWS }, (_, r) => 999_999_000 + r),
          problemCount: problems.length,
          problems: encodeProblems(problems),
        },
      }),
      expiresAt: { N: "9999999999" },
    };
    expect(problems).toHaveLength(BATCH_ROWS * ROW_PROBLEM_BOUND);
    expect(itemSize(item)).toBeLessThan(200 * 1024);
    expect(decodeProblems(encodeProblems(problems))).toEqual(problems);
  });

  it("still reads a batch recorded before the codec (a plain list of problems)", () => {
    const plain: RowProblem[] = [
      { row: 2, field: "email", reason: "must be an e-mail address" },
      { row: 7, field: "balance", reason: "must be a whole number" },
    ];
    expect(decodeProblems(plain)).toEqual(plain);
    expect(decodeProblems(encodeProblems([]))).toEqual([]);
  });
});

/** An attempt's problems in memory: batches of consecutive items per pass, and duplicate rows. */
interface Layout {
  batches: Record<ImportPass, { first: number; problems: RowProblem[] }[]>;
  duplicates: number[];
}

/**
 * An attempt's problems in memory; `short` answers a read with fewer than asked now and then, as a Query that
 * reaches 1 MB does.
 */
function memorySource(layout: Layout, short = () => false): ProblemSource & { reads: number } {
  const read = <T>(list: T[], limit: number) => {
    const items = list.slice(0, short() ? Math.floor(limit / 3) : limit);
    return { items, more: items.length < list.length };
  };
  const source = {
    reads: 0,
    async batches(pass: ImportPass, fromFirst: number, limit: number) {
      source.reads += 1;
      return read(
        layout.batches[pass].filter((b) => b.first >= fromFirst),
        limit,
      );
    },
    async duplicates(fromRow: number, limit: number) {
      source.reads += 1;
      return read(
        layout.duplicates.filter((row) => row >= fromRow),
        limit,
      );
    },
  };
  return source;
}

const FIELDS = ["email", "lots", "member_id", "tier"];
const REASONS = ["bad", "missing", "too long"];

/** A file of `rows` items split into batches; some rows with problems, seen by either pass or both. */
const layoutArb = fc
  .record({
    rows: fc.integer({ min: 1, max: 700 }),
    size: fc.integer({ min: 1, max: 100 }),
    badShare: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer(),
  })
  .map(({ rows, size, badShare, seed }): Layout => {
    let state = seed >>> 0 || 1;
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
    const layout: Layout = { batches: { check: [], import: [] }, duplicates: [] };
    for (let first = 0; first < rows; first += size) {
      const inBatch: Record<ImportPass, RowProblem[]> = { check: [], import: [] };
      for (let index = first; index < Math.min(rows, first + size); index += 1) {
        if (next() >= badShare) continue;
        const row = rowOf("csv", index);
        if (next() < 0.1) layout.duplicates.push(row);
        for (let n = Math.floor(next() * 4); n >= 0; n -= 1) {
          const problem = { row, field: pick(FIELDS), reason: pick(REASONS) };
          const seenBy = next();
          if (seenBy < 0.7) inBatch.check.push(problem);
          if (seenBy > 0.3) inBatch.import.push(problem);
        }
      }
      for (const pass of ["check", "import"] as const)
        layout.batches[pass].push({ first, problems: inBatch[pass].sort((a, b) => a.row - b.row) });
    }
    return layout;
  });

function everyProblem(layout: Layout): RowProblem[] {
  const all = [
    ...layout.batches.check.flatMap((b) => b.problems),
    ...layout.batches.import.flatMap((b) => b.problems),
    ...layout.duplicates.map((row) => ({ row, field: "member_id", reason: DUPLICATE_MEMBER })),
  ].sort(compareProblems);
  return all.filter((p, i) => i === 0 || compareProblems(p, all[i - 1] as RowProblem) !== 0);
}

async function readAll(source: ProblemSource, limit: number) {
  const pages: RowProblem[][] = [];
  let after: ProblemCursor | undefined;
  do {
    const page = await problemPage(source, { format: "csv", limit, ...(after && { after }) });
    expect(page.problems.length).toBeLessThanOrEqual(limit);
    pages.push(page.problems);
    after = page.next;
  } while (after !== undefined && pages.length < 10_000);
  return pages;
}

describe("pages of an import's problems", () => {
  it("give every problem of both passes and the duplicate rows once, in row order, whatever the page size and reads", async () => {
    await fc.assert(
      fc.asyncProperty(
        layoutArb,
        fc.integer({ min: 1, max: 120 }),
        fc.boolean(),
        async (layout, limit, cut) => {
          let reads = 0;
          const pages = await readAll(
            memorySource(layout, () => cut && ++reads % 2 === 0),
            limit,
          );
          expect(pages.flat()).toEqual(everyProblem(layout));
          // Only the last page may be short: the others wait for a full page.
          for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("reads a few batches at a time: a first page of problems does not read the whole file", async () => {
    const layout: Layout = { batches: { check: [], import: [] }, duplicates: [] };
    for (let first = 0; first < 100_000; first += 100) {
      const problems = [{ row: rowOf("csv", first), field: "email", reason: "bad" }];
      layout.batches.check.push({ first, problems });
      layout.batches.import.push({ first, problems });
    }
    const source = memorySource(layout);
    const page = await problemPage(source, { format: "csv", limit: 50 });
    expect(page.problems.map((p) => p.row)).toEqual(
      Array.from({ length: 50 }, (_, i) => rowOf("csv", i * 100)),
    );
    expect(page.next).toBeDefined();
    expect(source.reads).toBeLessThanOrEqual(8);
  });
});
