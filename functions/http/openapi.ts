import * as z from "zod";
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

const ALWAYS_PROBLEMS: Record<number, string> = {
  400: "Invalid request: the problem's `errors` name each field",
  413: "Request body too large",
  500: "Internal error",
};
const AUTH_PROBLEMS: Record<number, string> = { 401: "Missing or invalid token", 403: "Wrong group" };
const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  404: "Not found",
  405: "Method not allowed",
  409: "Conflicts with the current state",
  415: "Unsupported media type",
  422: "Breaks a business rule",
  503: "Busy; retry the same request",
};

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

function problemResponses(route: Route) {
  const statuses: Record<number, string> = {
    ...ALWAYS_PROBLEMS,
    ...(route.access === "public" ? {} : AUTH_PROBLEMS),
  };
  for (const status of route.problems) statuses[status] = PROBLEM_DESCRIPTIONS[status] ?? "Problem";
  return Object.fromEntries(
    Object.entries(statuses).map(([status, description]) => [
      status,
      { description, content: { "application/problem+json": { schema: ref("Problem") } } },
    ]),
  );
}

const HTML_PAGE = { schema: { type: "string" } };

/** Adds the route's HTML pages (text/html) to the responses it documents, beside JSON at the same status. */
function withPages(route: Route, responses: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const merged = { ...responses };
  for (const [status, description] of Object.entries(route.pages)) {
    const existing = merged[status] as { description: string; content: Record<string, unknown> } | undefined;
    merged[status] = existing
      ? {
          description: `${existing.description}; ${description}`,
          content: { ...existing.content, "text/html": HTML_PAGE },
        }
      : { description, content: { "text/html": HTML_PAGE } };
  }
  return merged;
}

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
  const outputs = new Map<z.ZodType, string>([[problemSchema, "Problem"]]);
  for (const [name, schema] of Object.entries(shared)) {
    inputs.set(schema, `${name}Input`);
    outputs.set(schema, name);
  }
  for (const route of routes) {
    if (route.body && !inputs.has(route.body)) inputs.set(route.body, `${pascal(route.operationId)}Request`);
    if (route.response.mediaType === "application/json" && !outputs.has(route.response.schema))
      outputs.set(route.response.schema, `${pascal(route.operationId)}Response`);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const mediaType = route.bodyType === "form" ? "application/x-www-form-urlencoded" : "application/json";
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description !== undefined && { description: route.description }),
      tags: [route.tag],
      security: route.access === "public" ? [] : [{ cognito: [] }],
      "x-patron-access": route.access,
      parameters: parameters(route),
      ...(route.body && {
        requestBody: {
          required: true,
          content: { [mediaType]: { schema: ref(inputs.get(route.body) ?? "") } },
        },
      }),
      responses: withPages(route, {
        [route.response.status]: {
          description: route.response.description,
          content: {
            [route.response.mediaType]:
              route.response.mediaType === "text/html"
                ? HTML_PAGE
                : { schema: ref(outputs.get(route.response.schema) ?? "") },
          },
        },
        ...problemResponses(route),
      }),
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
      schemas: { ...renderComponents("input", inputs), ...renderComponents("output", outputs) },
      securitySchemes: {
        cognito: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "Cognito access token. Member routes need the `members` group (sub = member id); marketer routes need `marketers`.",
        },
      },
    },
  };
}
