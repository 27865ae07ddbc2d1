import * as z from "zod";
import { fieldChecksRule } from "./openapi-field-checks";
import { gatewayErrorSchema, responsesOf } from "./openapi-responses";
import { problemSchema } from "./problem-middleware";
import type { Route } from "./route";

// OpenAPI 3.1 from the routes' own zod schemas. 3.1 uses JSON Schema draft 2020-12, which is what
// z.toJSONSchema emits by default; request schemas are rendered as inputs (defaults optional),
// response schemas as outputs.

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

type JsonSchema = Record<string, unknown>;
type Io = "input" | "output";

const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** Renders `schemas` (id → zod) in one pass so shared sub-schemas become $refs between components. */
function renderComponents(io: Io, schemas: ReadonlyMap<z.ZodType, string>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of schemas) registry.add(schema, { id });
  const rendered = z.toJSONSchema(registry, {
    io,
    target: "draft-2020-12",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(rendered.schemas).map(([id, s]) => [id, clean(s)]));
}

function parameters(route: Route) {
  const list: JsonSchema[] = [];
  const add = (where: "path" | "query" | "header", schema: z.ZodType | undefined) => {
    if (schema === undefined) return;
    const json = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      list.push({
        name,
        in: where,
        required: where === "path" || required.has(name),
        ...(description !== undefined && { description }),
        schema: rest,
      });
    }
  };
  add("path", route.params);
  add("query", route.query);
  add("header", route.headers);
  return list;
}

const joined = (parts: ReadonlyArray<string | undefined>): string | undefined => {
  const present = parts.filter((part) => part !== undefined);
  return present.length > 0 ? present.join(" ") : undefined;
};

/**
 * The OpenAPI 3.1 document of `routes`. `shared` names schemas used by several routes (e.g. the
 * program); they become components ("<Name>" as returned, "<Name>Input" as sent).
 */
export function buildOpenApiDocument(
  routes: readonly Route[],
  info: OpenApiInfo,
  shared: Readonly<Record<string, z.ZodType>> = {},
): JsonSchema {
  const inputs = new Map<z.ZodType, string>();
  const outputs = new Map<z.ZodType, string>([
    [problemSchema, "Problem"],
    [gatewayErrorSchema, "GatewayError"],
  ]);
  for (const [name, schema] of Object.entries(shared)) {
    inputs.set(schema, `${name}Input`);
    outputs.set(schema, name);
  }
  for (const route of routes) {
    if (route.body && !inputs.has(route.body)) inputs.set(route.body, `${pascal(route.operationId)}Request`);
    if (route.response.mediaType === "application/json" && !outputs.has(route.response.schema))
      outputs.set(route.response.schema, `${pascal(route.operationId)}Response`);
  }
  const inputSchemas = renderComponents("input", inputs);
  const resolve = (id: string) => inputSchemas[id.replace("#/components/schemas/", "")];
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const mediaType = route.bodyType === "form" ? "application/x-www-form-urlencoded" : "application/json";
    const params = parameters(route);
    const body = route.body && ref(inputs.get(route.body) ?? "");
    const roots = [
      ...(body ? [["", body] as const] : []),
      ...params.map((p) => [String(p.name), p.schema as JsonSchema] as const),
    ];
    // The route's own cross-field rules, then the field checks its schemas name (FIELD_CHECK).
    const rules = joined([route.rules, fieldChecksRule(roots, resolve)]);
    const description = joined([route.description, rules]);
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(description !== undefined && { description }),
      ...(rules !== undefined && { "x-patron-rules": rules }),
      ...(route.maxBodyBytes !== undefined && { "x-patron-max-body-bytes": route.maxBodyBytes }),
      tags: [route.tag],
      security: route.access === "public" ? [] : [{ cognito: [] }],
      "x-patron-access": route.access,
      parameters: params,
      ...(body && { requestBody: { required: true, content: { [mediaType]: { schema: body } } } }),
      responses: responsesOf(route, outputs.get(route.response.schema) ?? ""),
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info,
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas: { ...inputSchemas, ...renderComponents("output", outputs) },
      securitySchemes: {
        cognito: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "Cognito access token. Member routes need the `members` group and a linked member (the `memberId` claim, or the stored link of `sub`; otherwise 403 member-not-linked), identity routes (linking, enrolling) the group only; marketer routes need `marketers`; service routes take a producer's client-credentials token (scope `patron/producer`) or a marketer's; partner routes a partner's client-credentials token (scope `patron/partner.<id>`, for that partner only) or a marketer's.",
        },
      },
    },
  };
}
