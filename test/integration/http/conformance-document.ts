import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type JsonSchema, type RefResolver, schemaErrors } from "../../support/json-schema/check";

// docs/openapi.json as the conformance test reads it: its operations, and whether an answer is one the
// document describes (status, media type, body).

type Json = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  access: "public" | "member" | "identity" | "marketer" | "service";
  /** Checks the schemas do not state, in words (`x-patron-rules`): a schema-valid request may still get 400. */
  rules?: string;
  /** The route's own body limit (`x-patron-max-body-bytes`), above the function's. */
  maxBodyBytes?: number;
  parameters: Parameter[];
  body?: { mediaType: string; schema: JsonSchema };
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export interface ApiDocument {
  operations: Operation[];
  resolve: RefResolver;
}

export function loadApiDocument(): ApiDocument {
  const path = join(import.meta.dirname, "..", "..", "..", "docs", "openapi.json");
  const document = JSON.parse(readFileSync(path, "utf8")) as Json;
  const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Record<string, JsonSchema>;
  const resolve: RefResolver = (ref) => {
    const name = ref.replace(/^#\/components\/schemas\//, "");
    const schema = schemas[name];
    if (schema === undefined) throw new Error(`unresolved $ref ${ref}`);
    return schema;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, raw] of Object.entries(item as Record<string, Json>)) {
      const content = ((raw.requestBody as Json | undefined)?.content ?? {}) as Record<
        string,
        { schema: JsonSchema }
      >;
      const [mediaType, media] = Object.entries(content)[0] ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: raw.operationId as string,
        access: raw["x-patron-access"] as Operation["access"],
        ...(typeof raw["x-patron-rules"] === "string" && { rules: raw["x-patron-rules"] }),
        ...(typeof raw["x-patron-max-body-bytes"] === "number" && {
          maxBodyBytes: raw["x-patron-max-body-bytes"],
        }),
        parameters: (raw.parameters ?? []) as Parameter[],
        ...(mediaType && media && { body: { mediaType, schema: media.schema } }),
        responses: raw.responses as Operation["responses"],
      });
    }
  }
  return { operations, resolve };
}

const mediaTypeOf = (contentType: string) => (contentType.split(";")[0] ?? "").trim().toLowerCase();

/** Parses an answer's body as its media type says: JSON for application/json and +json, text otherwise. */
export function parseBody(answer: Answer): { value?: unknown; error?: string } {
  const media = mediaTypeOf(answer.contentType);
  if (!(media === "application/json" || media.endsWith("+json"))) return { value: answer.text };
  try {
    return { value: JSON.parse(answer.text) };
  } catch {
    return { error: "body is not JSON" };
  }
}

/** What about `answer` the document does not describe for `operation`; empty when it conforms. */
export function mismatches(operation: Operation, answer: Answer, resolve: RefResolver): string[] {
  const documented = operation.responses[String(answer.status)] ?? operation.responses.default;
  if (!documented) return [`status ${answer.status} is not documented`];
  const content = documented.content ?? {};
  if (Object.keys(content).length === 0)
    return answer.text === "" ? [] : [`${answer.status} has a body none is documented for`];
  const media = mediaTypeOf(answer.contentType);
  const entry = content[media];
  if (!entry)
    return [
      `${answer.status} ${media || "(no content-type)"} is not documented (only ${Object.keys(content).join(", ")})`,
    ];
  const { value, error } = parseBody(answer);
  if (error) return [`${answer.status} ${media}: ${error}`];
  return schemaErrors(entry.schema ?? true, value, resolve).map(
    (e) => `${answer.status} ${media} body: ${e}`,
  );
}
