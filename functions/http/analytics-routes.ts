import { analyticsSnapshotSchema } from "../analytics/analytics-snapshot";
import { orNotFound } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";

// The customer-value view for marketers: the last nightly analytics run (functions/analytics), read from one
// item — the RFM grid and segments, value concentration and the fitted models.

export function analyticsRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/segments",
      operationId: "getSegments",
      summary: "RFM grid and segments, value concentration and model fit from the last nightly analytics run",
      access: "marketer",
      response: { status: 200, description: "The last analytics run", schema: analyticsSnapshotSchema },
      problems: [404],
      handle: async () =>
        orNotFound(
          await deps.analytics.getLatest(),
          "No analytics run has completed yet; the job runs nightly",
        ),
    }),
  ];
}
