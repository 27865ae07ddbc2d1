// What the API loads on the first request that needs it, behind one dynamic import: the route groups outside
// the member's and the public paths, and the ports only they use (app.ts). One import rather than one each:
// esbuild gives every set of dynamic imports that shares a module a chunk file of its own, and a cold start
// then opens dozens of small files (the cold-start bench's bundle row counts the files a cold start loads).
export { tableRejectedEventReader } from "../adapters/bus/rejected-events";
export { createAdjustmentStore } from "../adapters/dynamo/adjustment-store";
export { createAuditStore } from "../adapters/dynamo/audit-store";
export { createImportJobStore } from "../adapters/dynamo/import-job-store";
export { createImportProblemSource } from "../adapters/dynamo/import-problem-source";
export { createAnalyticsStore } from "../analytics/analytics-store";
export { createAudienceCounter } from "../grants/grant-audience";
export { createMemberPrivacy } from "../privacy/member-privacy";
export { createMemberMerger } from "../shared/member-merge";
export { adjustmentRoutes } from "./adjustment-routes";
export { analyticsRoutes } from "./analytics-routes";
export { auditRoutes } from "./audit-routes";
export { campaignRoutes } from "./campaign-routes";
export { challengeRoutes } from "./challenge-routes";
export { grantRoutes } from "./grant-routes";
export { identityRoutes } from "./identity-routes";
export { importRoutes } from "./import-routes";
export { kpiRoutes } from "./kpi-routes";
export { memberAdminRoutes } from "./member-admin-routes";
export { memberLinkRoutes } from "./member-link-routes";
export { mergeRoutes } from "./merge-routes";
export { offerRoutes } from "./offer-routes";
export { partnerRoutes } from "./partner-routes";
export { privacyRoutes } from "./privacy-routes";
export { programRoutes } from "./program-routes";
export { referralRoutes } from "./referral-routes";
export { rejectedEventRoutes } from "./rejected-event-routes";
export { unsubscribeRoutes } from "./unsubscribe-routes";
