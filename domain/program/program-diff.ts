// Field-level differences between two program documents (or any two JSON values). Pure, so the repository
// stores each version's diff against the previous one with it, and the console can diff any two versions
// with the same function.

export interface ProgramChange {
  /** e.g. "tiers[1].threshold". */
  path: string;
  before?: unknown;
  after?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Field-level differences between two JSON values, e.g. [{ path: "tiers[1].threshold", before: 1000, after: 1200 }].
 * Objects are compared key by key (in key order), arrays index by index; anything else that differs is one
 * change, with `before` or `after` left out where the value is absent. A change of the whole value is "(program)".
 */
export function diffPrograms(before: unknown, after: unknown, path = ""): ProgramChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffPrograms(before[i], after[i], `${path}[${i}]`)).flat();
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffPrograms(before[key], after[key], path === "" ? key : `${path}.${key}`));
  }
  return [
    {
      path: path === "" ? "(program)" : path,
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
    },
  ];
}
