import { Logger } from "@aws-lambda-powertools/logger";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { programSchema } from "../../domain/program/program-schema";
import { createMemberRepository } from "../adapters/dynamo/member-repository";
import type { OptimisticRetryOptions } from "../adapters/dynamo/optimistic-retry";
import { createProgramRepository } from "../adapters/dynamo/program-repository";
import { analyticsRoutes } from "./analytics-routes";
import { campaignRoutes } from "./campaign-routes";
import { kpiRoutes } from "./kpi-routes";
import type { HttpApiConfig } from "./config";
import type { HttpApiDeps } from "./member-access";
import { memberAdminRoutes } from "./member-admin-routes";
import { memberRoutes } from "./member-routes";
import { buildOpenApiDocument } from "./openapi";
import { problemMiddleware } from "./problem-middleware";
import { programRoutes } from "./program-routes";
import { publicRoutes } from "./public-routes";
import { rejectedEventRoutes } from "./rejected-event-routes";
import type { HttpEvent, Route } from "./route";
import { createRouter } from "./router";
import { createTokenSigner } from "./signed-token";

export const API_INFO = {
  title: "Patron HTTP API",
  version: "1.0.0",
  description:
    "Members read their points, ledger and rewards and redeem them; marketers configure the program. " +
    "Errors are RFC 9457 problem documents (application/problem+json).",
};

/** What the routes' dependencies need: the table, and the signing secret's value (not its ARN). */
export interface DepsConfig {
  readonly tableName: string;
  readonly signingSecret: string;
}

export function createDeps(
  config: DepsConfig,
  client: DynamoDBClient,
  options: { retry?: OptimisticRetryOptions; programCacheTtlMs?: number; clock?: () => Date } = {},
): HttpApiDeps {
  return {
    client,
    tableName: config.tableName,
    members: createMemberRepository({ client, tableName: config.tableName }),
    programs: createProgramRepository({
      client,
      tableName: config.tableName,
      ...(options.programCacheTtlMs !== undefined && { cacheTtlMs: options.programCacheTtlMs }),
      ...(options.clock && { clock: options.clock }),
    }),
    signer: createTokenSigner(config.signingSecret),
    ...(options.retry && { retry: options.retry }),
  };
}

/** The OpenAPI 3.1 document of `routes` (served at /openapi.json, committed as docs/openapi.json). */
export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  return buildOpenApiDocument(routes, API_INFO, { Program: programSchema });
}

/** Every route of the API, the OpenAPI route included. */
export function createRoutes(deps: HttpApiDeps): Route[] {
  let document: Record<string, unknown> | undefined;
  const routes: Route[] = [
    ...publicRoutes(deps, () => {
      document ??= openApiDocument(routes);
      return document;
    }),
    ...memberRoutes(deps),
    ...programRoutes(deps),
    ...memberAdminRoutes(deps),
    ...analyticsRoutes(deps),
    ...kpiRoutes(deps),
    ...campaignRoutes(deps),
    ...rejectedEventRoutes(deps),
  ];
  return routes;
}

/** Method + path of the routes without an authorizer; must equal infra/http-api.ts PUBLIC_ROUTES. */
export function publicRouteKeys(routes: readonly Route[]): { method: string; path: string }[] {
  return routes.filter((r) => r.access === "public").map((r) => ({ method: r.method, path: r.path }));
}

/** The Lambda handler: the router wrapped by middy with the one problem-details error middleware. */
export function createHttpApiHandler(
  deps: HttpApiDeps,
  config: Pick<HttpApiConfig, "maxBodyBytes"> & { clock?: () => Date },
) {
  const logger = new Logger({ serviceName: "patron-http-api" });
  const router = createRouter(createRoutes(deps), {
    maxBodyBytes: config.maxBodyBytes,
    ...(config.clock && { now: config.clock }),
  });
  return middy<HttpEvent, APIGatewayProxyStructuredResultV2>()
    .use(problemMiddleware(logger))
    .handler((event) => router(event));
}
