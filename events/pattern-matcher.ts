/**
 * EventBridge content filtering (event patterns), for routing on the local bus exactly as the
 * cloud rules do. Supported: exact values (string, number, boolean, null), `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`, `anything-but` (values, lists, prefix, suffix, ignore-case,
 * wildcard), `exists`, `numeric`, nested objects, `$or`; an array in the event matches if any
 * element matches. Anything else (e.g. `cidr`) throws, so a pattern never silently misroutes.
 */
type Json = unknown;

const MISSING = Symbol("missing");
type Value = Json | typeof MISSING;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || ["string", "number", "boolean"].includes(typeof value);

function invalid(message: string): never {
  throw new Error(`invalid event pattern: ${message}`);
}

function wildcardRegex(pattern: string): RegExp {
  const parts = pattern
    .split(/(?<!\\)\*/)
    .map((part) => part.replace(/\\\*/g, "*").replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`, "s");
}

/** `prefix` / `suffix` accept a string or `{ "equals-ignore-case": string }`. */
function affixMatches(
  spec: unknown,
  value: string,
  test: (value: string, affix: string) => boolean,
): boolean {
  if (typeof spec === "string") return test(value, spec);
  if (isObject(spec) && typeof spec["equals-ignore-case"] === "string") {
    return test(value.toLowerCase(), spec["equals-ignore-case"].toLowerCase());
  }
  return invalid(`prefix/suffix expects a string, got ${JSON.stringify(spec)}`);
}

const NUMERIC_OPS: Record<string, (a: number, b: number) => boolean> = {
  "=": (a, b) => a === b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

function numericMatches(spec: unknown, value: number): boolean {
  if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0)
    return invalid("numeric needs [op, n, ...]");
  for (let i = 0; i < spec.length; i += 2) {
    const op = NUMERIC_OPS[String(spec[i])];
    const bound = spec[i + 1];
    if (op === undefined || typeof bound !== "number")
      return invalid(`bad numeric condition ${JSON.stringify(spec)}`);
    if (!op(value, bound)) return false;
  }
  return true;
}

function anythingButMatches(spec: unknown, value: Json): boolean {
  if (isScalar(spec)) return value !== spec;
  if (Array.isArray(spec)) return !spec.includes(value);
  if (!isObject(spec)) return invalid(`bad anything-but ${JSON.stringify(spec)}`);
  const [operator, ...rest] = Object.keys(spec);
  if (operator === undefined || rest.length > 0) return invalid("anything-but takes one operator");
  if (typeof value !== "string") return true;
  const operand = spec[operator];
  const operands = Array.isArray(operand) ? operand : [operand];
  switch (operator) {
    case "prefix":
      return !affixMatches(operand, value, (v, a) => v.startsWith(a));
    case "suffix":
      return !affixMatches(operand, value, (v, a) => v.endsWith(a));
    case "equals-ignore-case":
      return !operands.some((o) => String(o).toLowerCase() === value.toLowerCase());
    case "wildcard":
      return !operands.some((o) => wildcardRegex(String(o)).test(value));
    default:
      return invalid(`unsupported anything-but operator "${operator}"`);
  }
}

/** One matcher from a pattern array against one present, non-array event value. */
function matcherMatches(matcher: unknown, value: Json): boolean {
  if (isScalar(matcher)) return matcher === value;
  if (!isObject(matcher)) return invalid(`unsupported matcher ${JSON.stringify(matcher)}`);
  const [operator, ...rest] = Object.keys(matcher);
  if (operator === undefined || rest.length > 0)
    return invalid(`matcher must have one operator: ${JSON.stringify(matcher)}`);
  const spec = matcher[operator];
  switch (operator) {
    case "prefix":
      return typeof value === "string" && affixMatches(spec, value, (v, a) => v.startsWith(a));
    case "suffix":
      return typeof value === "string" && affixMatches(spec, value, (v, a) => v.endsWith(a));
    case "equals-ignore-case":
      return (
        typeof value === "string" && typeof spec === "string" && value.toLowerCase() === spec.toLowerCase()
      );
    case "wildcard":
      return typeof value === "string" && typeof spec === "string" && wildcardRegex(spec).test(value);
    case "numeric":
      return typeof value === "number" && numericMatches(spec, value);
    case "anything-but":
      return anythingButMatches(spec, value);
    case "exists":
      // Existence only applies to leaves: an object-valued field does not "exist" for a pattern.
      return spec === true && !isObject(value);
    default:
      return invalid(`unsupported operator "${operator}"`);
  }
}

function leafMatches(matchers: unknown[], value: Value): boolean {
  // An empty array carries no values, so it behaves like an absent field.
  const values = value === MISSING ? [] : Array.isArray(value) ? value : [value];
  if (values.length === 0) return matchers.some((m) => isObject(m) && m.exists === false);
  return matchers.some((matcher) => {
    if (isObject(matcher) && matcher.exists === false) return false;
    return values.some((v) => matcherMatches(matcher, v));
  });
}

function objectMatches(pattern: Record<string, unknown>, event: Value): boolean {
  if (Array.isArray(event)) return event.some((element) => objectMatches(pattern, element));
  const fields = isObject(event) ? event : undefined;
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === "$or") {
      if (!Array.isArray(expected) || expected.length < 2) return invalid("$or needs at least two patterns");
      return expected.some((alternative) => isObject(alternative) && objectMatches(alternative, event));
    }
    const value: Value = fields !== undefined && key in fields ? fields[key] : MISSING;
    if (Array.isArray(expected)) return leafMatches(expected, value);
    if (isObject(expected)) return objectMatches(expected, value);
    return invalid(`"${key}" must be an array of matchers or a nested object`);
  });
}

/** Does `event` (a full EventBridge envelope or any JSON object) match `pattern`? */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  if (!isObject(pattern)) return invalid("pattern must be an object");
  return objectMatches(pattern, event);
}
