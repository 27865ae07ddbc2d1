import * as z from "zod";
import type { Route } from "./route";

// The responses an operation documents: its own answer (and the other statuses it answers with the same
// schema), the problem documents the function answers, its HTML pages, and the answers API Gateway gives
// itself. The deployed API is an API Gateway HTTP API (infra/http-api.ts), whose own answers cannot be
// customised: they are `{"message": "..."}` as application/json, never problem documents, and the document
// says so at each status where they occur.

type JsonSchema = Record<string, unknown>;
type Content = Record<string, JsonSchema>;
interface Response {
  description: string;
  content: Content;
}

/** API Gateway's own answer: the function never saw the request (or failed to answer it). */
export const gatewayErrorSchema = z
  .object({
    message: z.string().describe('API Gateway\'s words, e.g. "Unauthorized" or "Request Entity Too Large"'),
  })
  .describe(
    "An answer API Gateway gives itself (HTTP APIs cannot turn it into a problem document): no or an invalid token, a body over 10 MB, throttling, or a function that failed or timed out",
  );

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const PROBLEM = "application/problem+json";
const GATEWAY = "application/json";
const HTML_PAGE = { schema: { type: "string" } };

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request: the problem's `errors` name each field",
  401: "The verified token names no subject",
  403: "Wrong group",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflicts with the current state",
  413: "Request body over the function's limit (64 KiB unless configured)",
  415: "Unsupported media type: send the body as the request body's media type says",
  422: "Breaks a business rule",
  500: "Internal error",
  503: "Busy; retry the same request",
};

/** What API Gateway answers itself, by status; 401 only where its JWT authorizer runs. */
const GATEWAY_DESCRIPTIONS: Record<number, string> = {
  401: "no bearer token, or one that is invalid, for another client or expired (API Gateway's JWT authorizer)",
  413: "request body over 10 MB (API Gateway)",
  429: "the API's request rate limit is exceeded; retry later (API Gateway)",
  500: "the function failed or timed out (API Gateway)",
};

function add(responses: Record<string, Response>, status: number, description: string, content: Content) {
  const existing = responses[status];
  for (const mediaType of Object.keys(content))
    if (existing?.content[mediaType]) throw new Error(`two answers documented as ${status} ${mediaType}`);
  responses[status] = existing
    ? { description: `${existing.description}; ${description}`, content: { ...existing.content, ...content } }
    : { description, content };
}

function problemStatuses(route: Route): number[] {
  const statuses = new Set([400, 413, 500, ...route.problems]);
  if (route.body) statuses.add(415);
  if (route.access !== "public") for (const status of [401, 403]) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
}

/** The `responses` of `route`'s operation; `outputId` is the component id of its JSON answer. */
export function responsesOf(route: Route, outputId: string): Record<string, Response> {
  const responses: Record<string, Response> = {};
  const { response } = route;
  const own = response.mediaType === "text/html" ? HTML_PAGE : { schema: ref(outputId) };
  add(responses, response.status, response.description, { [response.mediaType]: own });
  for (const [status, description] of Object.entries(response.otherStatuses))
    add(responses, Number(status), description, { [response.mediaType]: own });
  for (const status of problemStatuses(route))
    add(responses, status, PROBLEM_DESCRIPTIONS[status] ?? "Problem", {
      [PROBLEM]: { schema: ref("Problem") },
    });
  for (const [status, description] of Object.entries(route.pages))
    add(responses, Number(status), description, { "text/html": HTML_PAGE });
  for (const [status, description] of Object.entries(GATEWAY_DESCRIPTIONS)) {
    if (Number(status) === 401 && route.access === "public") continue;
    add(responses, Number(status), `${GATEWAY}: ${description}`, {
      [GATEWAY]: { schema: ref("GatewayError") },
    });
  }
  return responses;
}
