import { FIELD_CHECK } from "../../events/primitives";

// A request field may be checked beyond what its JSON Schema states (a time zone the runtime knows). Its
// zod schema names that check (FIELD_CHECK, carried into the rendered schema); this reads it back out of an
// operation's rendered request schemas, so every operation that takes such a field says so in its rules and
// the words cannot drift from the schema.

type JsonSchema = Record<string, unknown>;

/** Resolves a `$ref` of the document being built ("#/components/schemas/Name"). */
export type ComponentResolver = (ref: string) => JsonSchema | undefined;

/** `roots` maps a field path prefix ("" for a body, the name for a parameter) to its schema. */
export function fieldChecksRule(
  roots: ReadonlyArray<readonly [string, JsonSchema]>,
  resolve: ComponentResolver,
): string | undefined {
  const checks = new Map<string, string>();
  const walk = (schema: JsonSchema | undefined, path: string, seen: ReadonlySet<JsonSchema>) => {
    if (schema === undefined || seen.has(schema)) return;
    const inside = new Set(seen).add(schema);
    if (typeof schema.$ref === "string") return walk(resolve(schema.$ref), path, inside);
    const check = schema[FIELD_CHECK];
    if (typeof check === "string" && path !== "") checks.set(path, check);
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, child] of Object.entries(properties))
      walk(child, path ? `${path}.${name}` : name, inside);
    for (const key of ["anyOf", "oneOf", "allOf"] as const)
      for (const branch of (schema[key] ?? []) as JsonSchema[]) walk(branch, path, inside);
    if (typeof schema.items === "object") walk(schema.items as JsonSchema, `${path}[]`, inside);
  };
  for (const [prefix, schema] of roots) walk(schema, prefix, new Set());
  if (checks.size === 0) return undefined;
  const clauses = [...checks].map(([path, check]) => `\`${path}\` ${check}`);
  return `${clauses.join("; ")} (400 naming the field otherwise).`;
}
