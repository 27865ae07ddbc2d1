import fc from "fast-check";
import { type JsonSchema, type RefResolver, schemaErrors } from "./check";

// fast-check arbitraries of values a JSON Schema (the subset docs/openapi.json uses) accepts, with the
// boundary values (lengths and bounds at their limits, whitespace-only strings) mixed in: that is where a
// document and a server's validation tend to disagree. Every value is checked against the schema, so what
// comes out is valid by the document's own reading. A string schema with `examples` draws mostly from them
// (they stand for a meaning no pattern states, an IANA time zone name), and sometimes from its pattern: a
// value such as "Mars/Olympus" is valid by the document, so the server may refuse it only where the
// operation's `x-patron-rules` say why.

type SchemaObject = { readonly [keyword: string]: unknown };

const LIMIT = 1_000_000_000;
const MAX_DEPTH = 8;

export interface ArbitraryOptions {
  resolve: RefResolver;
}

function deref(schema: JsonSchema, resolve: RefResolver): JsonSchema {
  let current = schema;
  while (typeof current === "object" && typeof current.$ref === "string") current = resolve(current.$ref);
  return current;
}

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

const patternArbitrary = (s: SchemaObject) =>
  fc.stringMatching(new RegExp(String(s.pattern)), { size: "small" });

function stringArbitrary(s: SchemaObject): fc.Arbitrary<unknown> {
  if (Array.isArray(s.examples) && s.examples.length > 0) {
    const examples = fc.constantFrom(...s.examples);
    if (typeof s.pattern !== "string") return examples;
    return fc.oneof({ weight: 3, arbitrary: examples }, { weight: 1, arbitrary: patternArbitrary(s) });
  }
  const min = num(s.minLength) ?? 0;
  const max = num(s.maxLength) ?? min + 40;
  let random: fc.Arbitrary<string>;
  if (s.format === "date-time" || s.format === "date") {
    const dates = fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true });
    random = dates.map((d) => (s.format === "date" ? d.toISOString().slice(0, 10) : d.toISOString()));
  } else if (typeof s.pattern === "string") {
    random = patternArbitrary(s);
  } else {
    random = fc.string({ minLength: min, maxLength: Math.min(max, min + 40) });
  }
  const edges = [" ".repeat(min), "x".repeat(min), "x".repeat(max), ` ${"x".repeat(Math.max(0, max - 1))}`];
  return fc.oneof({ weight: 4, arbitrary: random }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

function numberArbitrary(s: SchemaObject, integer: boolean): fc.Arbitrary<unknown> {
  const min = num(s.minimum) ?? num(s.exclusiveMinimum) ?? -LIMIT;
  const max = num(s.maximum) ?? num(s.exclusiveMaximum) ?? LIMIT;
  const lo = Math.max(min, -LIMIT);
  const hi = Math.min(max, LIMIT);
  const random = integer
    ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
    : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
  const edges = [min, max, 0, 1, -1, min + 1, max - 1].filter((n) => !integer || Number.isSafeInteger(n));
  return fc.oneof({ weight: 3, arbitrary: random }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

function objectArbitrary(s: SchemaObject, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  // Deep optional fields are left out, so a recursive or very wide schema stays small.
  const keys = Object.keys(properties).filter((key) => required.has(key) || depth < MAX_DEPTH - 2);
  const shape = Object.fromEntries(
    keys.map((key) => [key, arbitraryOf(properties[key] ?? true, options, depth + 1)]),
  );
  const fixed = fc.record(shape, { requiredKeys: keys.filter((key) => required.has(key)) });
  const extra = s.additionalProperties;
  if (extra === undefined || extra === false || Object.keys(properties).length > 0) return fixed;
  const names =
    typeof s.propertyNames === "object"
      ? arbitraryOf(s.propertyNames as JsonSchema, options, depth + 1)
      : fc.string();
  const values = arbitraryOf(extra as JsonSchema, options, depth + 1);
  return fc.dictionary(names as fc.Arbitrary<string>, values, { maxKeys: depth < 3 ? 3 : 0 });
}

function typedArbitrary(s: SchemaObject, type: unknown, options: ArbitraryOptions, depth: number) {
  switch (type) {
    case "string":
      return stringArbitrary(s);
    case "integer":
    case "number":
      return numberArbitrary(s, type === "integer");
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const minLength = num(s.minItems) ?? 0;
      const maxLength = Math.min(num(s.maxItems) ?? minLength + 3, minLength + (depth < 4 ? 3 : 0));
      return fc.array(arbitraryOf((s.items ?? true) as JsonSchema, options, depth + 1), {
        minLength,
        maxLength,
      });
    }
    case "object":
      return objectArbitrary(s, options, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values `schema` accepts (boundaries included), each checked against it. */
export function arbitraryOf(schema: JsonSchema, options: ArbitraryOptions, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema, options.resolve);
  if (s === true) return fc.jsonValue({ maxDepth: 2 });
  if (s === false) throw new Error("no value satisfies `false`");
  let arbitrary: fc.Arbitrary<unknown>;
  if ("const" in s) arbitrary = fc.constant(s.const);
  else if (Array.isArray(s.enum)) arbitrary = fc.constantFrom(...s.enum);
  else if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const branches = (s.anyOf ?? s.oneOf) as JsonSchema[];
    arbitrary = fc.oneof(...branches.map((branch) => arbitraryOf(branch, options, depth + 1)));
  } else if (Array.isArray(s.type)) {
    arbitrary = fc.oneof(...s.type.map((type) => typedArbitrary(s, type, options, depth)));
  } else arbitrary = typedArbitrary(s, s.type, options, depth);
  return arbitrary.filter((value) => schemaErrors(s, value, options.resolve).length === 0);
}
