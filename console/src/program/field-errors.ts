// Where a validation error is shown. The API names fields like `tiers[1].threshold` (events/validation-errors.ts
// formatPath); the form names them `tiers.1.threshold`. An error is shown next to the field it names, or next to
// the nearest enclosing field (an error on `channels[0]` goes to the channels checkboxes); errors no field holds
// (e.g. "a milestone must give bonusPoints or a rewardId" on `milestones[1]`) go to the form's summary.

const SEGMENT = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;

/** "tiers[1].threshold" → "tiers.1.threshold"; undefined for "(root)" and anything that is not a path. */
export function fieldNameOf(path: string): string | undefined {
  const segments: string[] = [];
  let rest = path;
  while (rest !== "") {
    const match = SEGMENT.exec(rest);
    if (!match) return undefined;
    const [whole, key, index, quoted] = match;
    segments.push(key ?? index ?? (JSON.parse(quoted ?? '""') as string));
    rest = rest.slice(whole.length);
  }
  return segments.length > 0 ? segments.join(".") : undefined;
}

/** The field that shows an error on `name`: the field itself or the nearest enclosing one. */
export function fieldShowing(name: string, fields: ReadonlySet<string>): string | undefined {
  const parts = name.split(".");
  for (let end = parts.length; end > 0; end--) {
    const candidate = parts.slice(0, end).join(".");
    if (fields.has(candidate)) return candidate;
  }
  return undefined;
}

export interface NamedError {
  /** Form field name ("" for the whole form). */
  name: string;
  message: string;
}

const META_KEYS = new Set(["ref", "type", "message", "types"]);

/** Every error message in react-hook-form's nested errors object, with the field name it belongs to. */
export function listErrors(errors: object): NamedError[] {
  const out: NamedError[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    const isLeaf = typeof record.message === "string" || typeof record.type === "string";
    if (isLeaf && typeof record.message === "string" && record.message !== "")
      out.push({ name: path.join("."), message: record.message });
    for (const [key, value] of Object.entries(record)) {
      if (isLeaf && META_KEYS.has(key)) continue;
      // Field arrays keep an error about the list itself under `root`.
      walk(value, key === "root" ? path : [...path, key]);
    }
  };
  walk(errors, []);
  return out;
}

/** The messages found under `error` (a field's own error, or those of its items, e.g. one perk of a list). */
export function messagesOf(error: unknown): string[] {
  return listErrors(error ?? {}).map((e) => e.message);
}

/** "tiers.1.threshold" → "tiers[1].threshold", as the API and the schema's messages name fields. */
export function displayPath(name: string): string {
  if (name === "") return "program";
  return name.replace(/\.(\d+)(?=\.|$)/g, "[$1]");
}
