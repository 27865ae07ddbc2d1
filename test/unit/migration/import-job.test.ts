import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BatchRecord } from "../../../functions/adapters/dynamo/import-job-store";
import { normalizeRecord, rowOf } from "../../../functions/migration/import-batch";
import { MAX_REPORTED_PROBLEMS, parseUploadKey, reportOf } from "../../../functions/migration/import-job";
import { DUPLICATE_MEMBER } from "../../../functions/migration/import-members";

// The pure parts of the deployed import: what an upload's key means, how a Distributed Map item's index maps to
// the CLI's line number, and how a pass's batch results and duplicate rows add up to the job's report.

describe("upload keys", () => {
  it("read mode, import id and format from uploads/<mode>/<id>.<csv|jsonl>", () => {
    expect(parseUploadKey("uploads/valid-rows/legacy-2026.csv")).toEqual({
      ok: true,
      importId: "legacy-2026",
      mode: "valid-rows",
      format: "csv",
    });
    expect(parseUploadKey("uploads/all-or-nothing/B_2.jsonl")).toMatchObject({
      mode: "all-or-nothing",
      format: "jsonl",
    });
  });

  it("say why a key is wrong, with the import id when there is one", () => {
    expect(parseUploadKey("uploads/valid/x.csv")).toMatchObject({
      ok: false,
      importId: "x",
      reason: expect.stringContaining("valid-rows or all-or-nothing"),
    });
    expect(parseUploadKey("uploads/valid-rows/x.txt")).toMatchObject({
      ok: false,
      importId: "x",
      reason: expect.stringContaining(".csv or .jsonl"),
    });
    expect(parseUploadKey("uploads/valid-rows/x")).toMatchObject({ ok: false, importId: "x" });
    expect(parseUploadKey("uploads/valid-rows/my file.csv")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("import id"),
    });
    expect(parseUploadKey("uploads/x.csv")).toEqual({
      ok: false,
      reason: expect.stringContaining("uploads/<"),
    });
    expect(parseUploadKey("uploads/valid-rows/a/b.csv")).toMatchObject({ ok: false });
    expect(parseUploadKey("uploads/valid-rows/x.csv").ok).toBe(true);
    expect(parseUploadKey(`uploads/valid-rows/${"a".repeat(65)}.csv`).ok).toBe(false);
  });
});

describe("items of the Distributed Map", () => {
  it("number rows as the CLI does: CSV from line 2 (after the header), JSON Lines from line 1", () => {
    expect(rowOf("csv", 0)).toBe(2);
    expect(rowOf("jsonl", 0)).toBe(1);
  });

  it("read CSV header names trimmed and lower-cased and cells trimmed; JSON as it is", () => {
    expect(normalizeRecord("csv", { " Member_ID ": " m-1 ", email: "a@b.c" })).toEqual({
      member_id: "m-1",
      email: "a@b.c",
    });
    expect(normalizeRecord("jsonl", { " Balance": " 5" })).toEqual({ " Balance": " 5" });
    expect(normalizeRecord("csv", "text")).toBe("text");
  });
});

const batchArb = fc
  .record({
    first: fc.nat(10_000),
    rows: fc.integer({ min: 1, max: 100 }),
    imported: fc.nat(100),
    alreadyImported: fc.nat(100),
  })
  .chain((base) =>
    fc.uniqueArray(fc.integer({ min: 2, max: 400 }), { maxLength: 20 }).map(
      (rejectedRows): BatchRecord => ({
        ...base,
        rejected: rejectedRows.length,
        rejectedRows,
        problemCount: rejectedRows.length,
        problems: rejectedRows.map((row) => ({ row, field: "email", reason: "bad" })),
      }),
    ),
  );

describe("a pass's report", () => {
  it("sums the batches, counts each rejected row once (duplicates included) and keeps the first problems by row", () => {
    fc.assert(
      fc.property(
        fc.array(batchArb, { maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 2, max: 400 }), { maxLength: 10 }),
        (batches, duplicates) => {
          const report = reportOf(batches, duplicates);
          const sum = (f: (b: BatchRecord) => number) => batches.reduce((n, b) => n + f(b), 0);
          expect(report.rows).toBe(sum((b) => b.rows));
          expect(report.imported).toBe(sum((b) => b.imported));
          expect(report.alreadyImported).toBe(sum((b) => b.alreadyImported));
          expect(report.rejected).toBe(
            new Set([...batches.flatMap((b) => b.rejectedRows), ...duplicates]).size,
          );
          expect(report.problemCount).toBe(sum((b) => b.problemCount) + duplicates.length);
          expect(report.problems.length).toBe(Math.min(MAX_REPORTED_PROBLEMS, report.problemCount));
          const rows = report.problems.map((p) => p.row);
          expect(rows).toEqual([...rows].sort((a, b) => a - b));
          const smallestDuplicate = Math.min(...duplicates);
          if (duplicates.length > 0 && rows.length < MAX_REPORTED_PROBLEMS)
            expect(report.problems).toContainEqual({
              row: smallestDuplicate,
              field: "member_id",
              reason: DUPLICATE_MEMBER,
            });
        },
      ),
    );
  });
});
