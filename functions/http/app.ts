import { Logger } from "@aws-lambda-powertools/logger";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createGrantStore } from "../adapters/dynamo/grant-store";
import { createIdentityLinks } from "../adapters/dynamo/identity-links";
import { createMemberRepository } from "../adapters/dynamo/member-repository";
import type { OptimisticRetryOptions } from "../adapters/dynamo/optimistic-retry";
import { createProgramRepository } from "../adapters/dynamo/program-repository";
import { createTableHealth } from "../adapters/dynamo/table-health";
import { createMessageStore } from "../retention/message-store";
import type { HttpApiConfig } from "./config";
import { lazyPort } from "./lazy-port";
import { createLazyRouter, loadGroup, type RouteGroup } from "./lazy-routes";
import type { HttpApiDeps } from "./member-access";
import { memberRoutes } from "./member-routes";
import { problemMiddleware } from "./problem-middleware";
import { publicRoutes } from "./public-routes";
import type { HttpEvent, Route } from "./route";
import { createTokenSigner } from "./signed-token";

/** The route groups and ports a cold start leaves out (on-demand-modules.ts); Node caches the import. */
const onDemand = () => import("./on-demand-modules");

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
  // The only place the client and the table name meet the routes: each port gets them once, here. The ports
  // only the marketer's routes use are built on their first call (lazy-port.ts): a member's cold start skips them.
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
    adjustments: lazyPort(async () => (await onDemand()).createAdjustmentStore(table)),
    audit: lazyPort(async () => (await onDemand()).createAuditStore(table)),
    grants,
    audiences: lazyPort(async () => (await onDemand()).createAudienceCounter({ ...table, grants, members })),
    importJobs: lazyPort(async () => (await onDemand()).createImportJobStore(table)),
    importProblems: (job) => lazyPort(async () => (await onDemand()).createImportProblemSource(table, job)),
    messages: createMessageStore(table),
    analytics: lazyPort(async () => (await onDemand()).createAnalyticsStore(table)),
    rejectedEvents: lazyPort(async () => (await onDemand()).tableRejectedEventReader(table)),
    mergeMembers: async (mergeOptions, input) =>
      (await onDemand()).createMemberMerger({ ...table, members })(mergeOptions, input),
    privacy: lazyPort(async () => (await onDemand()).createMemberPrivacy(table)),
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
      load: async () => (await onDemand()).programRoutes(deps),
    },
    {
      prefixes: ["/members"],
      load: async () => (await onDemand()).memberAdminRoutes(deps),
    },
    {
      prefixes: ["/members"],
      load: async () => (await onDemand()).memberLinkRoutes(deps),
    },
    { prefixes: ["/members"], load: async () => (await onDemand()).mergeRoutes(deps) },
    // Linking and enrolling import the enrolment pipeline, which the member's GET /me never needs.
    {
      prefixes: ["/me/link", "/me/enrolment"],
      load: async () => (await onDemand()).identityRoutes(deps),
    },
    {
      prefixes: ["/me/referral"],
      load: async () => (await onDemand()).referralRoutes(deps),
    },
    { prefixes: ["/segments"], load: async () => (await onDemand()).analyticsRoutes(deps) },
    { prefixes: ["/kpis"], load: async () => (await onDemand()).kpiRoutes(deps) },
    {
      prefixes: ["/me/challenges"],
      load: async () => (await onDemand()).challengeRoutes(deps),
    },
    {
      prefixes: ["/adjustments"],
      load: async () => (await onDemand()).adjustmentRoutes(deps),
    },
    { prefixes: ["/audit"], load: async () => (await onDemand()).auditRoutes(deps) },
    { prefixes: ["/grants"], load: async () => (await onDemand()).grantRoutes(deps) },
    { prefixes: ["/imports"], load: async () => (await onDemand()).importRoutes(deps) },
    { prefixes: ["/campaigns"], load: async () => (await onDemand()).campaignRoutes(deps) },
    { prefixes: ["/partners"], load: async () => (await onDemand()).partnerRoutes(deps) },
    {
      prefixes: ["/offers", "/me/offers", "/members"],
      load: async () => (await onDemand()).offerRoutes(deps),
    },
    {
      prefixes: ["/me/export", "/members"],
      load: async () => (await onDemand()).privacyRoutes(deps),
    },
    // Public, behind the link's signed token; the landing page brings the e-mail layout, which GET /me does not.
    {
      prefixes: ["/unsubscribe", "/resubscribe"],
      load: async () => (await onDemand()).unsubscribeRoutes(deps),
    },
    {
      prefixes: ["/rejected-events"],
      load: async () => (await onDemand()).rejectedEventRoutes(deps),
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
