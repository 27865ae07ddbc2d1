import { type JsonSchema, type RefResolver, schemaErrors, typeOf } from "./check";

// Invalid variants of a valid value: one field at a time gets a wrong type, a bound or length one past its
// limit, a pattern it breaks, an unknown enum value; a required field goes missing or an unknown one appears.
// Only variants the schema really rejects are returned, so a server that accepts one is looser than its
// document.

type SchemaObject = { readonly [keyword: string]: unknown };

export interface InvalidVariant {
  /** Where the value was changed, e.g. "points" or "quietHours.start". */
  at: string;
  what: string;
  value: unknown;
}

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

function deref(schema: JsonSchema, resolve: RefResolver): SchemaObject | undefined {
  let current = schema;
  while (typeof current === "object" && typeof current.$ref === "string") current = resolve(current.$ref);
  return typeof current === "object" ? current : undefined;
}

const WRONG_TYPE: Record<string, unknown> = {
  string: 12345,
  integer: "12",
  number: "1.5",
  boolean: "true",
  object: ["not", "an", "object"],
  array: { not: "an array" },
  null: 0,
};

/** Replacement values for one node that may break `s`. */
function candidates(s: SchemaObject, value: unknown): { what: string; value: unknown }[] {
  const out: { what: string; value: unknown }[] = [
    { what: "wrong type", value: WRONG_TYPE[typeOf(value)] ?? null },
  ];
  const minLength = num(s.minLength);
  const maxLength = num(s.maxLength);
  if (minLength !== undefined && minLength > 0)
    out.push({ what: "too short", value: "x".repeat(minLength - 1) });
  if (maxLength !== undefined) out.push({ what: "too long", value: "x".repeat(maxLength + 1) });
  if (typeof s.pattern === "string") out.push({ what: "breaks the pattern", value: "not valid!" });
  if (Array.isArray(s.enum) || "const" in s)
    out.push({ what: "not an allowed value", value: "not-an-option" });
  const numbers = [num(s.minimum), num(s.maximum), num(s.exclusiveMinimum), num(s.exclusiveMaximum)];
  const [min, max, xmin, xmax] = numbers;
  if (min !== undefined) out.push({ what: "below the minimum", value: min - 1 });
  if (max !== undefined) out.push({ what: "above the maximum", value: max + 1 });
  if (xmin !== undefined) out.push({ what: "at the exclusive minimum", value: xmin });
  if (xmax !== undefined) out.push({ what: "at the exclusive maximum", value: xmax });
  if (s.type === "integer") out.push({ what: "not whole", value: 1.5 });
  // Branches of a union or a `not`: every bound of every branch, one past it, and zero.
  for (const branch of [
    ...((s.anyOf ?? s.oneOf ?? []) as SchemaObject[]),
    ...(s.not ? [s.not as SchemaObject] : []),
  ]) {
    for (const bound of [num(branch.minimum), num(branch.maximum), num(branch.const)]) {
      if (bound !== undefined)
        out.push(
          { what: "outside every range", value: bound },
          { what: "outside every range", value: bound - 1 },
          { what: "outside every range", value: bound + 1 },
        );
    }
  }
  if (num(s.maxItems) !== undefined && Array.isArray(value) && value.length > 0)
    out.push({
      what: "too many items",
      value: Array.from({ length: (num(s.maxItems) ?? 0) + 1 }, () => value[0]),
    });
  if (num(s.minItems) !== undefined && (num(s.minItems) ?? 0) > 0)
    out.push({ what: "too few items", value: [] });
  return out;
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<
    string | number,
    unknown
  >;
  const key = head as string | number;
  if (remove && rest.length === 0) delete copy[key];
  else copy[key] = setAt(copy[key], rest, value, remove);
  return copy;
}

const label = (path: readonly (string | number)[]) =>
  path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "") || "(root)";

/** Every single-field invalid variant of `root` (valid against `schema`) that `schema` rejects. */
export function invalidVariants(schema: JsonSchema, root: unknown, resolve: RefResolver): InvalidVariant[] {
  const variants: InvalidVariant[] = [];
  const consider = (path: (string | number)[], what: string, value: unknown, remove = false) => {
    const whole = setAt(root, path, value, remove);
    if (schemaErrors(schema, whole, resolve).length > 0)
      variants.push({ at: label(path), what, value: whole });
  };
  const walk = (node: JsonSchema, value: unknown, path: (string | number)[]) => {
    const s = deref(node, resolve);
    if (!s) return;
    for (const c of candidates(s, value)) consider(path, c.what, c.value);
    if (typeOf(value) === "object") {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      for (const key of (s.required ?? []) as string[])
        consider([...path, key], "required field missing", undefined, true);
      if (s.additionalProperties === false)
        consider([...path, "unexpectedField"], "unknown field", "surprise");
      for (const [key, child] of Object.entries(properties)) {
        if (key in (value as object)) walk(child, (value as Record<string, unknown>)[key], [...path, key]);
      }
    }
    if (Array.isArray(value) && value.length > 0 && s.items)
      walk(s.items as JsonSchema, value[0], [...path, 0]);
  };
  walk(schema, root, []);
  return variants;
}
