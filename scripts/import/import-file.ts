import { parse } from "csv-parse/sync";
import type { Program } from "../../domain";
import { type CheckedRow, domainProblems } from "../../functions/migration/import-members";
import { parseImportRow, type RowProblem } from "../../functions/migration/import-row-schema";

// Reads a migration import file (CSV with a header, or JSON Lines, told apart by the first non-blank
// character) and checks every row: its shape (functions/migration/import-row-schema.ts), then what the program
// and the import day allow (domain/migration). A member id on two rows rejects the later ones. Problems name
// the row's line, the field and the reason, never the value.

export interface ReadImport {
  rows: CheckedRow[];
  /** Rows of the right shape that the program or the import day rule out, with why. */
  ruledOut: { row: CheckedRow; problems: RowProblem[] }[];
  /** Rows of the wrong shape, and later rows of a member id. */
  problems: RowProblem[];
  /** Data rows in the file, good and bad. */
  total: number;
}

export class ImportFileError extends Error {}

function csvRecords(text: string): { row: number; record: Record<string, unknown> }[] {
  // With `info`, csv-parse returns each record with the line it ended on (its typings don't say so).
  let parsed: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    parsed = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      trim: true,
      skip_empty_lines: true,
      // A short row is reported field by field, like any other bad row.
      relax_column_count: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    // The code and line only: csv-parse's message may quote the data.
    const { code, lines } = error as { code?: string; lines?: number };
    throw new ImportFileError(`the CSV cannot be read: ${code ?? "parse error"} at line ${lines ?? "?"}`);
  }
  return parsed.map(({ record, info }) => ({ row: info.lines, record }));
}

function jsonLines(text: string): { row: number; record: Record<string, unknown> }[] {
  const records: { row: number; record: Record<string, unknown> }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    records.push({
      row: index + 1,
      record:
        typeof value === "object" && value !== null && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : { "": "not a JSON object" },
    });
  });
  return records;
}

/** Every row of the file, checked; `program` and `importedAt` are what the rows are judged against. */
export function readImport(
  text: string,
  ctx: { program: Program; importId: string; importedAt: string },
): ReadImport {
  const isJson = text
    .replace(/^\uFEFF/, "")
    .trimStart()
    .startsWith("{");
  const records = isJson ? jsonLines(text) : csvRecords(text);
  const rows: CheckedRow[] = [];
  const ruledOut: ReadImport["ruledOut"] = [];
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  for (const { row, record } of records) {
    if ("" in record) {
      problems.push({ row, field: "row", reason: "not a JSON object" });
      continue;
    }
    const parsed = parseImportRow(record, row);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const checked = { row, data: parsed.row };
    const found = domainProblems(ctx, checked);
    if (found.length > 0) {
      ruledOut.push({ row: checked, problems: found });
      continue;
    }
    if (seen.has(parsed.row.member_id)) {
      problems.push({ row, field: "member_id", reason: "the member is on an earlier row of the file" });
      continue;
    }
    seen.add(parsed.row.member_id);
    rows.push(checked);
  }
  return { rows, ruledOut, problems, total: records.length };
}
