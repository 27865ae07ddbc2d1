import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./openapi";

// The typed API client: every path, parameter and body type comes from openapi.d.ts, generated from
// docs/openapi.json by `npm run openapi`.

export type ApiClient = ReturnType<typeof createClient<paths>>;

/** A problem+json answer (RFC 9457) with the API's field-level errors. */
export interface Problem {
  status: number;
  title: string;
  detail?: string;
  code?: string;
  errors?: Array<{ path: string; message: string }>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
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
  if (result.error !== undefined || result.data === undefined) {
    const problem = (result.error ?? {}) as Partial<Problem>;
    throw new ApiError({
      status: result.response.status,
      title: problem.title ?? result.response.statusText,
      ...(problem.detail !== undefined && { detail: problem.detail }),
      ...(problem.code !== undefined && { code: problem.code }),
      ...(problem.errors !== undefined && { errors: problem.errors }),
    });
  }
  return result.data;
}
