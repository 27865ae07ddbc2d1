import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { timeZoneSchema } from "../../../events/primitives";
import { loadApiDocument, type Operation } from "../../integration/http/conformance-document";
import { arbitraryOf } from "../../support/json-schema/arbitrary";
import type { JsonSchema, RefResolver } from "../../support/json-schema/check";

// A field whose server-side check no JSON Schema keyword can state (a time zone the runtime knows) must say
// so wherever a request carries it: "Mars/Olympus" matches the documented pattern and is refused with 400.

const document = loadApiDocument();

/** Request field paths ("body.timeZone") whose schema is named by `match`, through $refs and nesting. */
function fieldsOf(operation: Operation, resolve: RefResolver, match: (schema: JsonSchema) => boolean) {
  const found: string[] = [];
  const seen = new Set<JsonSchema>();
  const walk = (schema: JsonSchema, path: string) => {
    if (typeof schema !== "object" || seen.has(schema)) return;
    seen.add(schema);
    if (typeof schema.$ref === "string") return walk(resolve(schema.$ref), path);
    if (match(schema)) found.push(path);
    for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>))
      walk(child, `${path}.${name}`);
    for (const branch of [
      ...((schema.anyOf ?? []) as JsonSchema[]),
      ...((schema.oneOf ?? []) as JsonSchema[]),
    ])
      walk(branch, path);
  };
  if (operation.body) walk(operation.body.schema, "body");
  for (const parameter of operation.parameters) walk(parameter.schema, `${parameter.in}.${parameter.name}`);
  return found;
}

const isTimeZone = (schema: JsonSchema) =>
  typeof schema === "object" && schema.pattern === timeZoneSchema.toJSONSchema().pattern;

describe("request fields with checks beyond their schema", () => {
  it("name every operation that takes a time zone, with the rule in x-patron-rules", () => {
    const taking = document.operations.filter((o) => fieldsOf(o, document.resolve, isTimeZone).length > 0);
    expect(taking.map((o) => o.operationId)).toEqual(expect.arrayContaining(["enrolMe", "putMyPreferences"]));
    for (const operation of taking)
      expect(operation.rules, operation.operationId).toMatch(/`timeZone` must be an IANA time zone/);
  });

  it("are marked in the schema itself (x-patron-check), and every such field is in its operation's rules", () => {
    const marked = (schema: JsonSchema) => typeof schema === "object" && "x-patron-check" in schema;
    let count = 0;
    for (const operation of document.operations)
      for (const path of fieldsOf(operation, document.resolve, marked)) {
        count += 1;
        const field = path.split(".").at(-1) ?? "";
        expect(operation.rules ?? "", `${operation.operationId} ${path}`).toContain(`\`${field}\``);
      }
    expect(count).toBeGreaterThanOrEqual(2);
  });
});

describe("the conformance test's generated time zones", () => {
  it("go beyond the examples, so a zone the runtime does not know is sent too", () => {
    const operation = document.operations.find((o) => o.operationId === "putMyPreferences");
    const schema = operation?.body?.schema ?? false;
    const values = fc.sample(arbitraryOf(schema, { resolve: document.resolve }), { numRuns: 300, seed: 1 });
    const zones = values.map((value) => (value as { timeZone?: unknown }).timeZone);
    const unknown = zones.filter(
      (zone) => typeof zone === "string" && !timeZoneSchema.safeParse(zone).success,
    );
    expect(unknown.length).toBeGreaterThan(0);
    expect(zones.filter((zone) => zone === "Europe/Berlin").length).toBeGreaterThan(0);
  });
});
