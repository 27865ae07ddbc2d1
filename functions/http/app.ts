import { Logger } from "@aws-lambda-powertools/logger";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { tableRejectedEventReader } from "../adapters/bus/rejected-events";
import { createAdjustmentStore } from "../adapters/dynamo/adjustment-store";
import { createAuditStore } from "../adapters/dynamo/audit-store";
import { createGrantStore } from "../adapters/dynamo/grant-store";
import { createIdentityLinks } from "../adapters/dynamo/identity-links";
import { createImportJobStore } from "../adapters/dynamo/import-job-store";
import { createImportProblemSource } from "../adapters/dynamo/import-problem-source";
import { createMemberRepository } from "../adapters/dynamo/member-repository";
import type { OptimisticRetryOptions } from "../adapters/dynamo/optimistic-retry";
import { createProgramRepository } from "../adapters/dynamo/program-repository";
import { createTableHealth } from "../adapters/dynamo/table-health";
import { createAnalyticsStore } from "../analytics/analytics-store";
import { createAudienceCounter } from "../grants/grant-audience";
import { createMemberPrivacy } from "../privacy/member-privacy";
import { createMessageStore } from "../retention/message-store";
import { createMemberMerger } from "../shared/member-merge";
import type { HttpApiConfig } from "./config";
import { createLazyRouter, loadGroup, type RouteGroup } from "./lazy-routes";
import type { HttpApiDeps } from "./member-access";
import { memberRoutes } from "./member-routes";
import { problemMiddleware } from "./problem-middleware";
import { publicRoutes } from "./public-routes";
import type { HttpEvent, Route } from "./route";
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
  // The only place the client and the table name meet the routes: each port gets them once, here.
  const table = { client, tableName: config.tableName };
  const members = createMemberRepository(table);
  const grants = createGrantStore(table);
  return {
    members,
    programs: createProgramRepository({
      ...table,
      ...(options.programCacheTtlMs !== undefined && { cacheTtlMs: options.programCacheTtlMs }),
      ...(options.clock && { clock: options.clock }),
    }),
    identityLinks: createIdentityLinks(table),
    adjustments: createAdjustmentStore(table),
    audit: createAuditStore(table),
    grants,
    audiences: createAudienceCounter({ ...table, grants, members }),
    importJobs: createImportJobStore(table),
    importProblems: (job) => createImportProblemSource(table, job),
    messages: createMessageStore(table),
    analytics: createAnalyticsStore(table),
    rejectedEvents: tableRejectedEventReader(table),
    mergeMembers: createMemberMerger({ ...table, members }),
    privacy: createMemberPrivacy(table),
    health: createTableHealth(table),
    signer: createTokenSigner(config.signingSecret),
    ...(options.retry && { retry: options.retry }),
  };
}

/** The OpenAPI 3.1 document of `routes` (served at /openapi.json, committed as docs/openapi.json). */
export async function openApiDocument(routes: readonly Route[]): Promise<Record<string, unknown>> {
  // Imported here, not at the top: the Lambda builds the document only when /openapi.json is asked for.
  const [{ buildOpenApiDocument }, { programSchema }] = await Promise.all([
    import("./openapi"),
    import("../../domain/program/program-schema"),
  ]);
  return buildOpenApiDocument(routes, API_INFO, { Program: programSchema });
}

/**
 * The routes outside the member's and the public paths, each group imported on its first request (see
 * lazy-routes.ts): a member's cold start does not build the marketer routes' schemas.
 */
export function routeGroups(deps: HttpApiDeps): RouteGroup[] {
  return [
    {
      prefixes: ["/program", "/rewards"],
      load: async () => (await import("./program-routes")).programRoutes(deps),
    },
    {
      prefixes: ["/members"],
      load: async () => (await import("./member-admin-routes")).memberAdminRoutes(deps),
    },
    {
      prefixes: ["/members"],
      load: async () => (await import("./member-link-routes")).memberLinkRoutes(deps),
    },
    { prefixes: ["/members"], load: async () => (await import("./merge-routes")).mergeRoutes(deps) },
    // Linking and enrolling import the enrolment pipeline, which the member's GET /me never needs.
    {
      prefixes: ["/me/link", "/me/enrolment"],
      load: async () => (await import("./identity-routes")).identityRoutes(deps),
    },
    {
      prefixes: ["/me/referral"],
      load: async () => (await import("./referral-routes")).referralRoutes(deps),
    },
    { prefixes: ["/segments"], load: async () => (await import("./analytics-routes")).analyticsRoutes(deps) },
    { prefixes: ["/kpis"], load: async () => (await import("./kpi-routes")).kpiRoutes(deps) },
    {
      prefixes: ["/me/challenges"],
      load: async () => (await import("./challenge-routes")).challengeRoutes(deps),
    },
    {
      prefixes: ["/adjustments"],
      load: async () => (await import("./adjustment-routes")).adjustmentRoutes(deps),
    },
    { prefixes: ["/audit"], load: async () => (await import("./audit-routes")).auditRoutes(deps) },
    { prefixes: ["/grants"], load: async () => (await import("./grant-routes")).grantRoutes(deps) },
    { prefixes: ["/imports"], load: async () => (await import("./import-routes")).importRoutes(deps) },
    { prefixes: ["/campaigns"], load: async () => (await import("./campaign-routes")).campaignRoutes(deps) },
    { prefixes: ["/partners"], load: async () => (await import("./partner-routes")).partnerRoutes(deps) },
    {
      prefixes: ["/offers", "/me/offers", "/members"],
      load: async () => (await import("./offer-routes")).offerRoutes(deps),
    },
    {
      prefixes: ["/me/export", "/members"],
      load: async () => (await import("./privacy-routes")).privacyRoutes(deps),
    },
    {
      prefixes: ["/rejected-events"],
      load: async () => (await import("./rejected-event-routes")).rejectedEventRoutes(deps),
    },
  ];
}

/** The routes every cold start builds: the public ones (the OpenAPI route among them) and the member's. */
function eagerRoutes(deps: HttpApiDeps): Route[] {
  let document: Promise<Record<string, unknown>> | undefined;
  const openApi = () => {
    document ??= createRoutes(deps).then(openApiDocument);
    return document;
  };
  return [...publicRoutes(deps, openApi), ...memberRoutes(deps)];
}

/** Every route of the API, every group loaded, the OpenAPI route included. */
export async function createRoutes(deps: HttpApiDeps): Promise<Route[]> {
  const groups = await Promise.all(routeGroups(deps).map(loadGroup));
  return [...eagerRoutes(deps), ...groups.flat()];
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
  const router = createLazyRouter(eagerRoutes(deps), routeGroups(deps), {
    maxBodyBytes: config.maxBodyBytes,
    ...(config.clock && { now: config.clock }),
    linkedMemberOf: async (sub) => (await deps.identityLinks.linkOf(sub))?.memberId,
  });
  return middy<HttpEvent, APIGatewayProxyStructuredResultV2>()
    .use(problemMiddleware(logger))
    .handler((event) => router(event));
}
