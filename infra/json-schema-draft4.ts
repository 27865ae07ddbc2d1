/*
 * The EventBridge schema registry accepts OpenAPI 3 or JSON Schema Draft 4, while events/schemas/
 * holds draft 2020-12 (what zod emits). This rewrites the few keywords that differ. Keywords with no
 * faithful Draft 4 form throw, so a schema is never published looser than its source.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const DRAFT4_URI = "http://json-schema.org/draft-04/schema#";

const UNSUPPORTED = [
  "$defs",
  "$ref",
  "$anchor",
  "$dynamicRef",
  "prefixItems",
  "contains",
  "minContains",
  "maxContains",
  "if",
  "then",
  "else",
  "dependentRequired",
  "dependentSchemas",
  "unevaluatedProperties",
  "unevaluatedItems",
] as const;

/** Keywords whose values are a map of name -> subschema. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "definitions"]);
/** Keywords whose value is one subschema (or, for items, possibly a list). */
const SUBSCHEMAS = new Set(["items", "additionalProperties", "not", "additionalItems"]);
const SCHEMA_LISTS = new Set(["anyOf", "allOf", "oneOf"]);

export function toDraft4(schema: JsonObject, path = "#"): JsonObject {
  const out: JsonObject = {};
  for (const keyword of UNSUPPORTED) {
    if (keyword in schema) throw new Error(`${path}: "${keyword}" has no JSON Schema Draft 4 equivalent`);
  }
  for (const [key, value] of Object.entries(schema)) {
    const at = `${path}/${key}`;
    if (key === "$schema") out.$schema = DRAFT4_URI;
    else if (key === "$id") out.id = value;
    else if (key === "const") out.enum = [value];
    else if (key === "exclusiveMinimum" || key === "exclusiveMaximum") continue;
    else if (key === "propertyNames") continue;
    else if (SCHEMA_MAPS.has(key))
      out[key] = mapValues(asObject(value, at), (sub, name) => toDraft4(sub, `${at}/${name}`));
    else if (SCHEMA_LISTS.has(key))
      out[key] = asArray(value, at).map((sub, i) => toDraft4(asObject(sub, at), `${at}/${i}`));
    else if (SUBSCHEMAS.has(key) && typeof value === "object" && value !== null && !Array.isArray(value)) {
      out[key] = toDraft4(value, at);
    } else out[key] = value;
  }
  applyBound(schema, out, "exclusiveMinimum", "minimum", path);
  applyBound(schema, out, "exclusiveMaximum", "maximum", path);
  if ("propertyNames" in schema) applyPropertyNames(schema, out, path);
  return out;
}

/** Draft 6+ `exclusiveMinimum: n` is Draft 4 `minimum: n, exclusiveMinimum: true` (same for maximum). */
function applyBound(
  source: JsonObject,
  out: JsonObject,
  exclusiveKey: "exclusiveMinimum" | "exclusiveMaximum",
  inclusiveKey: "minimum" | "maximum",
  path: string,
): void {
  const exclusive = source[exclusiveKey];
  if (exclusive === undefined) return;
  if (typeof exclusive !== "number") throw new Error(`${path}/${exclusiveKey}: expected a number`);
  const inclusive = source[inclusiveKey];
  const lower = inclusiveKey === "minimum";
  // Draft 4 has one bound per side: keep whichever is stricter.
  if (typeof inclusive === "number" && (lower ? inclusive > exclusive : inclusive < exclusive)) return;
  out[inclusiveKey] = exclusive;
  out[exclusiveKey] = true;
}

/** `propertyNames: {pattern}` + `additionalProperties: S` is `patternProperties: {pattern: S}`. */
function applyPropertyNames(source: JsonObject, out: JsonObject, path: string): void {
  const names = asObject(source.propertyNames ?? null, `${path}/propertyNames`);
  const { type, pattern, ...rest } = names;
  if (
    (type !== undefined && type !== "string") ||
    typeof pattern !== "string" ||
    Object.keys(rest).length > 0
  ) {
    throw new Error(
      `${path}/propertyNames: only {"type":"string","pattern":...} can be expressed in Draft 4`,
    );
  }
  const valueSchema = out.additionalProperties;
  if (valueSchema === false) return;
  const existing = out.patternProperties;
  if (
    existing !== undefined ||
    (source.properties !== undefined && Object.keys(asObject(source.properties, path)).length)
  ) {
    throw new Error(`${path}/propertyNames: cannot combine with properties or patternProperties in Draft 4`);
  }
  out.patternProperties = { [pattern]: valueSchema === undefined || valueSchema === true ? {} : valueSchema };
  out.additionalProperties = false;
}

function asObject(value: Json, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${path}: expected an object`);
  return value;
}

function asArray(value: Json, path: string): Json[] {
  if (!Array.isArray(value)) throw new Error(`${path}: expected an array`);
  return value;
}

function mapValues(object: JsonObject, fn: (value: JsonObject, key: string) => JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(object).map(([key, value]) => [key, fn(asObject(value, key), key)]),
  );
}

export type { Json, JsonObject };
