import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { functionSpecs } from "../../../infra/function-specs";
import { toApiGatewayEvent } from "./api-gateway-event";
import { type JwtClaims, verifyLocalToken } from "./local-jwt";

// API Gateway v2 in front of the real Lambda handler, on node:http. Like the CDK stack: a few public
// routes have no authorizer; everything else goes to `$default`, whose JWT authorizer rejects a
// missing, invalid or expired bearer token with a bare 401 before the handler runs.

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface LocalHttpApiOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  handler: LambdaHttpHandler;
  /** Routes without an authorizer, mirroring infra/http-api.ts PUBLIC_ROUTES. */
  publicRoutes: readonly { method: string; path: string }[];
  /** Token check of the `$default` route; the local Cognito stand-in unless given. */
  jwt?: { verify(token: string): Promise<JwtClaims | undefined> };
  /** Largest body API Gateway accepts (10 MB). */
  maxBodyBytes?: number;
  /**
   * Local-only endpoints answered before API Gateway's routing (the local platform's /health and
   * /_local/*); resolves true when it answered the request. Never part of the deployed API.
   */
  intercept?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export interface LocalHttpApi {
  url: string;
  close(): Promise<void>;
}

const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
// The deployed function's timeout (infra/function-specs.ts), so local requests are cut off where AWS would.
const LAMBDA_TIMEOUT_MS =
  (functionSpecs.find((spec) => spec.name === "http-api")?.timeoutSeconds ?? 10) * 1000;

function lambdaContext(requestId: string): Context {
  const deadline = Date.now() + LAMBDA_TIMEOUT_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "patron-http-api-local",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:local:000000000000:function:patron-http-api-local",
    memoryLimitInMB: "256",
    awsRequestId: requestId,
    logGroupName: "/aws/lambda/patron-http-api-local",
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Mirrors API Gateway's own answers (not problem documents: the handler never sees these requests). */
function gatewayError(res: ServerResponse, status: number, message: string, requestId: string) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "apigw-requestid": requestId,
  };
  if (status === 401) headers["www-authenticate"] = 'Bearer error="invalid_token"';
  reply(res, status, JSON.stringify({ message }), headers);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2, requestId: string) {
  // Format 2.0: a bare value (no statusCode) is a 200 JSON body.
  if (typeof result !== "object" || result === null || !("statusCode" in result)) {
    reply(res, 200, JSON.stringify(result), {
      "content-type": "application/json",
      "apigw-requestid": requestId,
    });
    return;
  }
  const body =
    result.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  const headers: Record<string, string | string[]> = { "apigw-requestid": requestId };
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  res.writeHead(result.statusCode ?? 200, { ...headers, "content-length": body.length });
  res.end(body);
}

export async function startLocalHttpApi(options: LocalHttpApiOptions): Promise<LocalHttpApi> {
  const verify = options.jwt?.verify ?? verifyLocalToken;
  const maxBodyBytes = options.maxBodyBytes ?? API_GATEWAY_MAX_BODY;
  const publicKeys = new Set(options.publicRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`));

  const server = createServer(async (req, res) => {
    const requestId = randomUUID();
    try {
      // A declared length over the limit is refused before anything else, the local endpoints included.
      if (Number(req.headers["content-length"] ?? 0) > maxBodyBytes) {
        req.resume();
        gatewayError(res, 413, "Request Entity Too Large", requestId);
        return;
      }
      if (options.intercept && (await options.intercept(req, res))) return;
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const routeKey = `${(req.method ?? "GET").toUpperCase()} ${path}`;
      const isPublic = publicKeys.has(routeKey);
      let claims: JwtClaims | undefined;
      if (!isPublic) {
        const [scheme, token] = (req.headers.authorization ?? "").split(" ");
        claims = scheme?.toLowerCase() === "bearer" && token ? await verify(token) : undefined;
        if (!claims) {
          req.resume();
          gatewayError(res, 401, "Unauthorized", requestId);
          return;
        }
      }
      const body = await readBody(req, maxBodyBytes);
      if (!body) {
        gatewayError(res, 413, "Request Entity Too Large", requestId);
        return;
      }
      const event = toApiGatewayEvent({
        req,
        body,
        requestId,
        routeKey: isPublic ? routeKey : "$default",
        ...(claims && { claims }),
        now: new Date(),
      });
      writeResult(res, await options.handler(event, lambdaContext(requestId)), requestId);
    } catch (error) {
      // A handler that throws is a Lambda error: API Gateway answers 500 without details.
      // The path only: a query string can carry personal data (GET /members?email=).
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      console.error(`[local-http-api] ${req.method} ${path} failed:`, error);
      if (!res.headersSent) gatewayError(res, 500, "Internal Server Error", requestId);
      else res.end();
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
