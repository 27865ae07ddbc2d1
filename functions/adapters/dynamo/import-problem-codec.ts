import type { RowProblem } from "../../migration/import-row-schema";

// Every problem of an import batch, stored compactly in the batch's item (TABLE-DESIGN.md "Migration imports"):
// a batch's rows repeat the same few fields and reasons (every row of a file with a misspelt column says so),
// so each distinct field and reason is stored once and each problem as three base-36 numbers — its row, its
// field's and its reason's place — `row.field.reason`, comma-separated, in the batch's order. 100 rows with
// every field wrong stay far below DynamoDB's 400 KB item (test/unit/migration/import-problems.test.ts).

export interface StoredProblems {
  fields: string[];
  reasons: string[];
  /** `row.field.reason` in base 36, comma-separated; "" for none. */
  list: string;
}

export function encodeProblems(problems: readonly RowProblem[]): StoredProblems {
  const fields: string[] = [];
  const reasons: string[] = [];
  const placeOf = (names: string[], places: Map<string, number>, name: string) => {
    let place = places.get(name);
    if (place === undefined) {
      place = names.push(name) - 1;
      places.set(name, place);
    }
    return place;
  };
  const fieldPlaces = new Map<string, number>();
  const reasonPlaces = new Map<string, number>();
  const list = problems.map((p) =>
    [p.row, placeOf(fields, fieldPlaces, p.field), placeOf(reasons, reasonPlaces, p.reason)]
      .map((n) => n.toString(36))
      .join("."),
  );
  return { fields, reasons, list: list.join(",") };
}

/** A batch's problems as stored: encoded, or the plain list of its first 50 that records before the codec hold. */
export function decodeProblems(stored: StoredProblems | readonly RowProblem[]): RowProblem[] {
  // A batch recorded by an earlier version (an import running across a deploy, an old job's problems page).
  if (Array.isArray(stored)) return [...stored];
  const encoded = stored as StoredProblems;
  if (encoded.list === "") return [];
  return encoded.list.split(",").map((entry) => {
    const [row = "", field = "", reason = ""] = entry.split(".");
    return {
      row: Number.parseInt(row, 36),
      field: encoded.fields[Number.parseInt(field, 36)] ?? "",
      reason: encoded.reasons[Number.parseInt(reason, 36)] ?? "",
    };
  });
}
