import { createHash } from "node:crypto";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type * as z from "zod";
import { type FieldError, formatZodIssues } from "../../events/validation-errors";
import {
  MalformedBodyError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "./http-errors";
import { authorize, NotLinkedError, type Principal, principalOf } from "./principal";
import { HtmlPage, type HttpEvent, Reply, type Route } from "./route";

export interface RouterOptions {
  /** Largest accepted body in bytes (after base64 decoding). */
  maxBodyBytes: number;
  now?: () => Date;
  /** The member a Cognito user is linked to, for member routes called with a token that names none. */
  linkedMemberOf?: (sub: string) => Promise<string | undefined>;
}

export type HttpHandler = (event: HttpEvent) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  route: Route;
  segments: readonly string[];
}

const isParam = (segment: string): boolean => segment.startsWith("{") && segment.endsWith("}");

function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function matchPath(
  segments: readonly string[],
  actual: readonly string[],
): Record<string, string> | undefined {
  if (segments.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const value = actual[i] ?? "";
    if (isParam(segment)) {
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) return undefined;
  }
  return params;
}

function parseWith(schema: z.ZodType | undefined, value: unknown, prefix: string): unknown {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(formatZodIssues(result.error.issues, prefix));
}

function readBody(event: HttpEvent, route: Route, maxBodyBytes: number): unknown {
  if (route.body === undefined) return undefined;
  const raw =
    event.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
  const limit = Math.max(maxBodyBytes, route.maxBodyBytes ?? 0);
  if (raw.length > limit) throw new PayloadTooLargeError(limit);
  const contentType = (event.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const text = raw.toString("utf8");
  if (route.bodyType === "form") {
    if (contentType !== "application/x-www-form-urlencoded" && contentType !== "multipart/form-data")
      throw new UnsupportedMediaTypeError("application/x-www-form-urlencoded");
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (contentType !== "application/json" && !contentType.endsWith("+json"))
    throw new UnsupportedMediaTypeError("application/json");
  if (text.trim() === "") throw new MalformedBodyError("The request body is empty; send a JSON document.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedBodyError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

function json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}) {
  return {
    statusCode: status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * A page for a browser: never cached or indexed (it may carry a personal link), and a CSP that allows only
 * its own inline style sheets (by hash) and forms posting back to this API.
 */
function html(page: HtmlPage): APIGatewayProxyStructuredResultV2 {
  const styles = (page.options.styles ?? []).map(
    (style) => `'sha256-${createHash("sha256").update(style).digest("base64")}'`,
  );
  const csp = [
    "default-src 'none'",
    ...(styles.length > 0 ? [`style-src ${styles.join(" ")}`] : []),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    statusCode: page.options.status ?? 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "x-robots-tag": "noindex, nofollow",
      "content-security-policy": csp,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
    body: page.html,
  };
}

/**
 * On a member route, the caller's member: the token's memberId claim (set by the pre-token trigger), else the
 * stored link (a user who linked or enrolled since the token was issued). Unlinked: 403 saying how to link.
 */
async function memberOf(
  route: Route,
  principal: Principal | undefined,
  options: RouterOptions,
): Promise<Principal | undefined> {
  if (route.access !== "member" || principal === undefined || principal.memberId !== undefined)
    return principal;
  const memberId = await options.linkedMemberOf?.(principal.sub);
  if (memberId === undefined) throw new NotLinkedError();
  return { ...principal, memberId };
}

/**
 * Matches method + path template, enforces the route's access rule, validates params / query / headers /
 * body with the route's schemas and validates the response against its schema. Throws HttpErrors;
 * the error middleware turns them into problem documents.
 */
export function createRouter(routes: readonly Route[], options: RouterOptions): HttpHandler {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: splitPath(route.path) }));
  const now = options.now ?? (() => new Date());
  const seen = new Set<string>();
  for (const { route } of compiled) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`duplicate route ${key}`);
    seen.add(key);
  }

  return async (event) => {
    const method = event.requestContext.http.method.toUpperCase();
    const actual = splitPath(event.rawPath);
    const candidates = compiled.flatMap((c) => {
      const params = matchPath(c.segments, actual);
      return params ? [{ route: c.route, params }] : [];
    });
    if (candidates.length === 0) throw new NotFoundError(`No route for ${event.rawPath}`);
    const match = candidates.find((c) => c.route.method === method);
    if (!match) {
      throw new MethodNotAllowedError(
        event.rawPath,
        candidates.map((c) => c.route.method),
      );
    }
    const { route, params } = match;
    const principal = await memberOf(route, authorize(route.access, principalOf(event)), options);
    const errors: FieldError[] = [];
    const collect = <T>(parse: () => T): T | undefined => {
      try {
        return parse();
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(...error.errors);
        return undefined;
      }
    };
    // Report every invalid part of the request at once, not one location per round trip.
    const input = {
      params: collect(() => parseWith(route.params, params, "path")),
      query: collect(() => parseWith(route.query, event.queryStringParameters ?? {}, "query")),
      headers: collect(() => parseWith(route.headers, event.headers, "header")),
      body: collect(() => parseWith(route.body, readBody(event, route, options.maxBodyBytes), "")),
    };
    if (errors.length > 0) throw new ValidationError(errors);
    const result = await route.handle({
      route: { method: route.method, path: route.path },
      ...input,
      principal,
      requestId: event.requestContext.requestId,
      caller: {
        sourceIp: event.requestContext.http?.sourceIp ?? "",
        userAgent: event.requestContext.http?.userAgent ?? "",
      },
      now: now(),
    });
    if (result instanceof HtmlPage) return html(result);
    const reply = result instanceof Reply ? result : new Reply(result);
    const body = route.response.schema.parse(reply.body);
    return json(reply.status ?? route.response.status, body, reply.headers);
  };
}
