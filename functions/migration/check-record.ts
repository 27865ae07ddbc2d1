import type { Program } from "../../domain";
import { type CheckedRow, domainProblems } from "./import-members";
import { parseImportRow, type RowProblem } from "./import-row-schema";

// One record of an import file, checked: its shape (import-row-schema.ts), then what the program and the
// import day allow (domain/migration). The CLI (scripts/import/import-file.ts) and the deployed import's batch
// worker (import-batch.ts) both judge rows here.

export type RecordCheck =
  /** Wrong shape: not an object, a bad field, an unknown column. */
  | { kind: "bad"; problems: RowProblem[] }
  /** Right shape, but the program or the import day rules it out (it may have been imported before). */
  | { kind: "ruled-out"; row: CheckedRow; problems: RowProblem[] }
  | { kind: "ok"; row: CheckedRow };

export function checkRecord(
  ctx: { program: Program; importId: string; importedAt: string },
  record: unknown,
  row: number,
): RecordCheck {
  if (typeof record !== "object" || record === null || Array.isArray(record))
    return { kind: "bad", problems: [{ row, field: "row", reason: "not a JSON object" }] };
  const parsed = parseImportRow(record as Record<string, unknown>, row);
  if (!parsed.ok) return { kind: "bad", problems: parsed.problems };
  const checked = { row, data: parsed.row };
  const found = domainProblems(ctx, checked);
  return found.length > 0
    ? { kind: "ruled-out", row: checked, problems: found }
    : { kind: "ok", row: checked };
}
