import { migrationSourceKey } from "./migrate-member";

// A migrated member with more lots than one write can hold arrives in parts: the first part creates the member
// (full state, business key, profile) with the first entries, each later part adds the next entries only, so
// the balance is right from the first write and nothing lands in a member the import did not create. The split
// is a rule of the import — which entries go in which part, and each part's business key — so a re-run (or a
// retried part) proposes the very same parts: each is applied once, for ever, on (import, member, part).

export interface PartSizes {
  /** Entries the first part holds (the member's own items take the rest of its write). */
  firstPart: number;
  /** Entries each later part holds. */
  laterParts: number;
}

function assertSize(name: keyof PartSizes, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number from 1, got ${value}`);
}

/** The entries in parts, in order: every entry exactly once, the first part `firstPart` long, then `laterParts`. */
export function splitMigrationEntries<T>(entries: readonly T[], sizes: PartSizes): T[][] {
  assertSize("firstPart", sizes.firstPart);
  assertSize("laterParts", sizes.laterParts);
  const parts = [entries.slice(0, sizes.firstPart)];
  for (let from = sizes.firstPart; from < entries.length; from += sizes.laterParts)
    parts.push(entries.slice(from, from + sizes.laterParts));
  return parts;
}

/**
 * The business key of part `part` (2, 3, …) of a member's import; part 1 is the member's own key
 * (`migrationSourceKey`). Import and member ids hold no ":", so no part key is another member's key.
 */
export function migrationPartKey(importId: string, memberId: string, part: number): string {
  if (!Number.isInteger(part) || part < 2) throw new Error(`part must be a whole number from 2, got ${part}`);
  return `${migrationSourceKey(importId, memberId)}:part:${part}`;
}
