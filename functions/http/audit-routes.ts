import * as z from "zod";
import { memberIdSchema } from "../../events/primitives";
import type { AuditPosition } from "../adapters/dynamo/audit-store";
import { ForbiddenError, ValidationError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";

// GET /audit: the audit trail (audit-trail.ts) for marketers who are also in the `auditor` group, newest
// first. Without a member the walk goes day partition by day partition, so its range is kept short; a
// member's entries come from their own index partition, so a year can be asked for.

export const AUDITORS_GROUP = "auditor";

const DAY_MS = 86_400_000;
const MAX_DAYS_ALL = 31;
const MAX_DAYS_MEMBER = 400;
const DEFAULT_DAYS = 7;

const instant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a UTC offset" });

const auditQuerySchema = z.object({
  from: instant.optional().describe(`Earliest entry time (default: ${DEFAULT_DAYS} days before \`to\`)`),
  to: instant.optional().describe("Latest entry time (default: now)"),
  memberId: memberIdSchema.optional().describe("Only entries about this member"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Entries per page (1-200)"),
  cursor: z.string().max(2048).optional().describe("`next` from the previous page"),
});

const auditEntrySchema = z.object({
  at: z.string(),
  action: z.enum([
    "member.read",
    "member.search",
    "member.export",
    "member.erasure",
    "adjustment.request",
    "adjustment.approve",
    "adjustment.reject",
    "member.merge",
    "grant.request",
    "grant.approve",
    "grant.reject",
    "link-code.issue",
    "identity.read",
    "identity.revoke",
  ]),
  actor: z
    .object({ sub: z.string(), name: z.string() })
    .describe(
      "The marketer (Cognito sub and user name), or for a link code a till's or web shop's client id",
    ),
  route: z.string().describe('Method and route template, e.g. "GET /members/{id}"'),
  memberId: z.string().optional(),
  adjustmentId: z.string().optional(),
  grantId: z.string().optional(),
  sourceIp: z.string().describe("Client address as API Gateway saw it"),
  userAgent: z.string(),
  requestId: z.string(),
  outcome: z
    .string()
    .optional()
    .describe("\"ok\", the adjustment's status, or the problem's slug; absent while the request ran"),
});

const auditPageSchema = z.object({
  from: z.string(),
  to: z.string(),
  entries: z.array(auditEntrySchema).describe("Newest first; never the personal data that was read"),
  next: z.string().optional().describe("Cursor for the next page; absent on the last"),
});

const RULES =
  `from must be before to, at most ${MAX_DAYS_ALL} days apart (${MAX_DAYS_MEMBER} with memberId); ` +
  "with a cursor, from, to and memberId may be left out (the cursor's are used) but must match it when given.";

function range(
  query: { from?: string | undefined; to?: string | undefined; memberId?: string | undefined },
  now: Date,
) {
  const to = new Date(query.to ?? now.toISOString());
  const from = new Date(query.from ?? to.getTime() - DEFAULT_DAYS * DAY_MS);
  const maxDays = query.memberId === undefined ? MAX_DAYS_ALL : MAX_DAYS_MEMBER;
  if (from > to || to.getTime() - from.getTime() > maxDays * DAY_MS)
    throw new ValidationError([
      { path: "query.from", message: `must be on or before \`to\`, at most ${maxDays} days before it` },
    ]);
  return { from: from.toISOString(), to: to.toISOString() };
}

interface Scope {
  from: string;
  to: string;
  memberId: string | null;
}

/** The query's range and member, or with a cursor the ones it was issued for (given ones must match). */
function pageOf(
  deps: HttpApiDeps,
  query: z.output<typeof auditQuerySchema>,
  now: Date,
): { scope: Scope; after?: AuditPosition } {
  if (query.cursor === undefined)
    return { scope: { ...range(query, now), memberId: query.memberId ?? null } };
  const payload = deps.signer.verify("audit-cursor", query.cursor);
  const scope = payload?.q as Scope | undefined;
  const differs = (given: string | undefined, issued: string | null | undefined, asInstant: boolean) =>
    given !== undefined && (asInstant ? new Date(given).toISOString() : given) !== issued;
  if (
    !payload ||
    !scope ||
    differs(query.from, scope.from, true) ||
    differs(query.to, scope.to, true) ||
    differs(query.memberId, scope.memberId, false)
  )
    throw new ValidationError([{ path: "query.cursor", message: "is not a cursor of this query" }]);
  return { scope, after: payload.p as AuditPosition };
}

export function auditRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/audit",
      operationId: "listAuditTrail",
      summary: "Audit trail of marketers' member PII reads and adjustments: who, when, what, from where",
      description: `For marketers in the "${AUDITORS_GROUP}" group. Entries are kept 400 days. ${RULES}`,
      rules: RULES,
      access: "marketer",
      query: auditQuerySchema,
      response: { status: 200, description: "A page of entries", schema: auditPageSchema },
      handle: async ({ query, principal, now }) => {
        if (!principal.groups.includes(AUDITORS_GROUP))
          throw new ForbiddenError(`The audit trail is for marketers in the "${AUDITORS_GROUP}" group.`);
        const { scope, after } = pageOf(deps, query, now);
        const { from, to } = scope;
        const page = await deps.audit.list({
          from,
          to,
          limit: query.limit,
          ...(scope.memberId !== null && { memberId: scope.memberId }),
          ...(after && { after }),
        });
        return {
          from,
          to,
          entries: page.entries,
          ...(page.next && { next: deps.signer.sign("audit-cursor", { q: scope, p: page.next }) }),
        };
      },
    }),
  ];
}
