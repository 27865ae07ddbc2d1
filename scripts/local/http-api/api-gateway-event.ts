import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import type { JwtClaims } from "./local-jwt";

// Builds the payload-format-2.0 event API Gateway HTTP APIs send to Lambda, from a node:http request.
// Details that matter to handlers are kept faithful: lower-case headers with repeats comma-joined,
// cookies moved out of the headers, repeated query parameters comma-joined, binary bodies base64,
// `$default` route key for routes behind the authorizer, and claims flattened to strings.

const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|xml|x-www-form-urlencoded|javascript))/i;

/** Repeated names comma-joined. A Map, since a client may send any name, "constructor" or "__proto__" too. */
function joinRepeats(pairs: Iterable<[string, string]>): Record<string, string> {
  const joined = new Map<string, string>();
  for (const [name, value] of pairs) {
    const before = joined.get(name);
    joined.set(name, before === undefined ? value : `${before},${value}`);
  }
  return Object.fromEntries(joined);
}

function* headerPairs(req: IncomingMessage): Generator<[string, string]> {
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? "").toLowerCase();
    if (name !== "cookie") yield [name, req.rawHeaders[i + 1] ?? ""];
  }
}

/** API Gateway renders every claim as a string; arrays become "[a b]". */
export function flattenClaims(claims: JwtClaims): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(" ")}]`
        : typeof value === "string"
          ? value
          : JSON.stringify(value),
    ]),
  );
}

function apiGatewayTime(date: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export interface EventInput {
  req: IncomingMessage;
  body: Buffer;
  requestId: string;
  /** "$default", or "METHOD /path" for a route of its own (the public ones). */
  routeKey: string;
  /** Verified token claims; undefined on routes without an authorizer. */
  claims?: JwtClaims;
  now: Date;
}

export function toApiGatewayEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { req, body } = input;
  const url = new URL(req.url ?? "/", "http://localhost");
  const headers = joinRepeats(headerPairs(req));
  const query = joinRepeats(url.searchParams);
  const cookies = (req.headers.cookie ?? "")
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "");
  const method = (req.method ?? "GET").toUpperCase();
  const host = headers.host ?? "localhost";
  const requestContext = {
    accountId: "000000000000",
    apiId: "local",
    domainName: host,
    domainPrefix: host.split(".")[0] ?? host,
    http: {
      method,
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      userAgent: headers["user-agent"] ?? "",
    },
    requestId: input.requestId,
    routeKey: input.routeKey,
    stage: "$default",
    time: apiGatewayTime(input.now),
    timeEpoch: input.now.getTime(),
  };
  const scope = input.claims?.scope;
  return {
    version: "2.0",
    routeKey: input.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    // The public routes have no authorizer, and then API Gateway sends no `authorizer` at all.
    requestContext: (input.claims
      ? {
          ...requestContext,
          authorizer: {
            principalId: "",
            integrationLatency: 0,
            jwt: {
              claims: flattenClaims(input.claims),
              scopes: typeof scope === "string" ? scope.split(" ") : null,
            },
          },
        }
      : requestContext) as APIGatewayProxyEventV2WithJWTAuthorizer["requestContext"],
    ...(body.length > 0 && { body: isText ? body.toString("utf8") : body.toString("base64") }),
    isBase64Encoded: body.length > 0 && !isText,
  };
}
