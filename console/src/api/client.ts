import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./openapi";

// The typed API client: every path, parameter and body type comes from openapi.d.ts, generated from
// docs/openapi.json by `npm run types:console` (part of `npm run typecheck`; not committed).

export type ApiClient = ReturnType<typeof createClient<paths>>;

/** A problem+json answer (RFC 9457) with the API's field-level errors. */
export type Problem = components["schemas"]["Problem"];
type GatewayError = components["schemas"]["GatewayError"];

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
}

export function createApiClient(options: { baseUrl: string; token: () => string | undefined }): ApiClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = options.token();
      if (token) request.headers.set("authorization", `Bearer ${token}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}

/** The body of a successful answer, or an ApiError carrying the problem document. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined)
    throw new ApiError(problemOf(result.error, result.response));
  return result.data;
}

/** The answer's problem document; API Gateway's own answers ({ message }) and empty bodies made into one. */
function problemOf(body: unknown, response: Response): Problem {
  const answer = (body ?? {}) as Partial<Problem> & Partial<GatewayError>;
  return {
    type: answer.type ?? "about:blank",
    title: answer.title ?? response.statusText,
    status: response.status,
    detail: answer.detail ?? answer.message ?? "",
    ...(answer.instance !== undefined && { instance: answer.instance }),
    ...(answer.errors !== undefined && { errors: answer.errors }),
  };
}
