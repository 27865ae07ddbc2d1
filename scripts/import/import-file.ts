import { parse } from "csv-parse/sync";
import type { Program } from "../../domain";
import { checkRecord } from "../../functions/migration/check-record";
import { type CheckedRow, DUPLICATE_MEMBER } from "../../functions/migration/import-members";
import type { RowProblem } from "../../functions/migration/import-row-schema";

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

function jsonLines(text: string): { row: number; record: unknown }[] {
  const records: { row: number; record: unknown }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    records.push({ row: index + 1, record: value });
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
    const checked = checkRecord(ctx, record, row);
    if (checked.kind === "bad") {
      problems.push(...checked.problems);
      continue;
    }
    if (checked.kind === "ruled-out") {
      ruledOut.push({ row: checked.row, problems: checked.problems });
      continue;
    }
    const memberId = checked.row.data.member_id;
    if (seen.has(memberId)) {
      problems.push({ row, field: "member_id", reason: DUPLICATE_MEMBER });
      continue;
    }
    seen.add(memberId);
    rows.push(checked.row);
  }
  return { rows, ruledOut, problems, total: records.length };
}
