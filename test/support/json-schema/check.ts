// A validator for the JSON Schema 2020-12 subset docs/openapi.json uses, written for the conformance test so
// that answers are checked against the document itself, not against the zod schemas it was generated from.
// A keyword it does not know throws: a constraint is never skipped silently.

export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** Resolves `$ref`s ("#/components/schemas/Name") of the document the schemas come from. */
export type RefResolver = (ref: string) => JsonSchema;

const ANNOTATIONS = new Set([
  "description",
  "default",
  "examples",
  "title",
  "deprecated",
  "readOnly",
  "writeOnly",
]);
const ASSERTIONS = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
]);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

function isRealDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const FORMATS: Record<string, (text: string) => boolean> = {
  // One "@" between a local part and a dotted domain; the schema's pattern states the exact rule.
  email: (text) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text),
  date: isRealDate,
  "date-time": (text) => {
    const match = DATE_TIME.exec(text);
    return match !== null && isRealDate(match[1] ?? "");
  },
};

const patterns = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let compiled = patterns.get(pattern);
  if (!compiled) {
    compiled = new RegExp(pattern, "u");
    patterns.set(pattern, compiled);
  }
  return compiled;
}

export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeOf(value) === "object";

/** Errors of `value` against `schema` ("<path>: <why>"), empty when it is valid. */
export function schemaErrors(schema: JsonSchema, value: unknown, resolve: RefResolver, at = ""): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at || "(root)"}: no value is allowed here`];
  const errors: string[] = [];
  for (const [keyword, expected] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword) || keyword.startsWith("x-")) continue;
    if (!ASSERTIONS.has(keyword)) throw new Error(`${at}: JSON Schema keyword "${keyword}" is not supported`);
    errors.push(...checkKeyword({ keyword, expected, schema, value, resolve, at }));
  }
  return errors;
}

interface KeywordCheck {
  keyword: string;
  expected: unknown;
  schema: { readonly [keyword: string]: unknown };
  value: unknown;
  resolve: RefResolver;
  at: string;
}

function checkKeyword(c: KeywordCheck): string[] {
  const where = c.at || "(root)";
  const fail = (why: string) => [`${where}: ${why}`];
  const nested = (schema: unknown, value: unknown, at = c.at) =>
    schemaErrors(schema as JsonSchema, value, c.resolve, at);
  const { value, expected } = c;
  switch (c.keyword) {
    case "$ref":
      return nested(c.resolve(expected as string), value);
    case "type": {
      const types = Array.isArray(expected) ? (expected as string[]) : [expected as string];
      return types.some((t) => hasType(value, t))
        ? []
        : fail(`expected ${types.join(" or ")}, got ${typeOf(value)}`);
    }
    case "enum":
      return (expected as unknown[]).some((e) => deepEqual(e, value))
        ? []
        : fail("not one of the enum values");
    case "const":
      return deepEqual(expected, value) ? [] : fail(`must be ${JSON.stringify(expected)}`);
    case "anyOf":
      return (expected as unknown[]).some((s) => nested(s, value).length === 0)
        ? []
        : fail("matches no anyOf branch");
    case "oneOf": {
      const matches = (expected as unknown[]).filter((s) => nested(s, value).length === 0).length;
      return matches === 1 ? [] : fail(`matches ${matches} oneOf branches, not 1`);
    }
    case "allOf":
      return (expected as unknown[]).flatMap((s) => nested(s, value));
    case "not":
      return nested(expected, value).length === 0 ? fail("matches a schema it must not match") : [];
    default:
      return checkTyped(c, fail, nested);
  }
}

function checkTyped(
  c: KeywordCheck,
  fail: (why: string) => string[],
  nested: (schema: unknown, value: unknown, at?: string) => string[],
): string[] {
  const { value, expected, at } = c;
  const n = expected as number;
  if (typeof value === "string") {
    const length = [...value].length;
    if (c.keyword === "minLength") return length >= n ? [] : fail(`shorter than ${n}`);
    if (c.keyword === "maxLength") return length <= n ? [] : fail(`longer than ${n}`);
    if (c.keyword === "pattern")
      return regex(expected as string).test(value) ? [] : fail("does not match the pattern");
    if (c.keyword === "format") {
      const check = FORMATS[expected as string];
      if (!check) throw new Error(`format "${String(expected)}" is not supported`);
      return check(value) ? [] : fail(`not a ${String(expected)}`);
    }
  }
  if (typeof value === "number") {
    if (c.keyword === "minimum") return value >= n ? [] : fail(`below ${n}`);
    if (c.keyword === "maximum") return value <= n ? [] : fail(`above ${n}`);
    if (c.keyword === "exclusiveMinimum") return value > n ? [] : fail(`not above ${n}`);
    if (c.keyword === "exclusiveMaximum") return value < n ? [] : fail(`not below ${n}`);
    if (c.keyword === "multipleOf") return Number.isInteger(value / n) ? [] : fail(`not a multiple of ${n}`);
  }
  if (Array.isArray(value)) {
    if (c.keyword === "minItems") return value.length >= n ? [] : fail(`fewer than ${n} items`);
    if (c.keyword === "maxItems") return value.length <= n ? [] : fail(`more than ${n} items`);
    if (c.keyword === "items") return value.flatMap((item, i) => nested(expected, item, `${at}[${i}]`));
  }
  if (isObject(value)) return checkObject(c, fail, nested);
  return [];
}

function checkObject(
  c: KeywordCheck,
  fail: (why: string) => string[],
  nested: (schema: unknown, value: unknown, at?: string) => string[],
): string[] {
  const value = c.value as Record<string, unknown>;
  const path = (key: string) => (c.at === "" ? key : `${c.at}.${key}`);
  const properties = (c.schema.properties ?? {}) as Record<string, unknown>;
  switch (c.keyword) {
    case "required":
      return (c.expected as string[])
        .filter((key) => !(key in value))
        .flatMap((key) => fail(`${key} is required`));
    case "properties":
      return Object.entries(properties).flatMap(([key, schema]) =>
        key in value ? nested(schema, value[key], path(key)) : [],
      );
    case "additionalProperties":
      return Object.keys(value)
        .filter((key) => !(key in properties))
        .flatMap((key) => nested(c.expected, value[key], path(key)));
    case "propertyNames":
      return Object.keys(value).flatMap((key) => nested(c.expected, key, `${path(key)} (name)`));
    default:
      return [];
  }
}
