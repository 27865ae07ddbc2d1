import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { ForbiddenError, HttpError, UnauthorizedError } from "./http-errors";

/**
 * Who may call a route: anyone, a member linked to their loyalty account (about themselves), a signed-in
 * shopper in the members group whether linked or not ("identity": linking and enrolling), a marketer, or a
 * service: a producer's machine client (OAuth client credentials, scope `patron/producer`: tills and web
 * shops) or a marketer; or a partner: a coalition partner's machine client (scope `patron/partner.<id>`, about
 * that partner only: the route checks the id with `assertPartnerAccess`) or a marketer.
 */
export type Access = "public" | "member" | "identity" | "marketer" | "service" | "partner";

export const MEMBERS_GROUP = "members";
export const MARKETERS_GROUP = "marketers";
/** The OAuth scope of producers' machine clients (Cognito resource server `patron`, scope `producer`). */
export const PRODUCER_SCOPE = "patron/producer";
/** A coalition partner's scope: `patron/partner.<partner id>` (infra/producer-clients.ts issues one per partner). */
export const PARTNER_SCOPE_PREFIX = "patron/partner.";
export const partnerScope = (partnerId: string): string => `${PARTNER_SCOPE_PREFIX}${partnerId}`;
/** The access token claim the pre-token-generation trigger sets to the linked member's id. */
export const MEMBER_ID_CLAIM = "memberId";

export interface Principal {
  /** Cognito `sub` (a machine client's: its client id). */
  sub: string;
  /** Name recorded in audit trails: Cognito `username`, else `sub`. */
  actor: string;
  groups: readonly string[];
  /** OAuth scopes of the access token (`scope` claim). */
  scopes: readonly string[];
  /** The linked member, from the token's `memberId` claim; member routes look the link up when absent. */
  memberId?: string;
}

/** The caller of a member route: always linked to a member. */
export type MemberPrincipal = Principal & { memberId: string };

/** How an unlinked user becomes a member; every member route's 403 says it. */
export const HOW_TO_LINK =
  "This sign-in is not linked to a loyalty member yet. Enter the link code your shop gives you with your " +
  "member id (POST /me/link), or join the programme (POST /me/enrolment); a membership with the e-mail " +
  "address you verified with us links by itself when you next sign in, unless we removed that link.";

/** A signed-in shopper whose Cognito user is linked to no member (yet). */
export class NotLinkedError extends HttpError {
  constructor() {
    super(403, "member-not-linked", "Not linked to a member", HOW_TO_LINK);
  }
}

type Claims = APIGatewayProxyEventV2WithJWTAuthorizer["requestContext"]["authorizer"]["jwt"]["claims"];

/**
 * API Gateway v2's JWT authorizer flattens array claims into one string: `cognito:groups` arrives as
 * "[members marketers]" (a single group as "[members]"). Real arrays and comma lists are accepted too,
 * so the same code works with any JWT authorizer and with test events.
 */
export function parseGroups(value: Claims[string] | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String).filter((g) => g.length > 0);
  const text = String(value).trim();
  const inner = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter((g) => g.length > 0);
}

/** The caller as the authorizer verified it, or undefined on a route without an authorizer. */
export function principalOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Principal | undefined {
  // Public routes carry no authorizer at all; the types claim otherwise.
  const claims: Claims | undefined = event.requestContext.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (claims === undefined || typeof sub !== "string" || sub.length === 0) return undefined;
  const username = claims.username ?? claims["cognito:username"];
  const memberId = claims[MEMBER_ID_CLAIM];
  return {
    sub,
    actor: typeof username === "string" && username.length > 0 ? username : sub,
    groups: parseGroups(claims["cognito:groups"]),
    scopes: typeof claims.scope === "string" ? claims.scope.split(" ").filter((s) => s.length > 0) : [],
    ...(typeof memberId === "string" && memberId.length > 0 && { memberId }),
  };
}

/** Enforces a route's access rule; returns the principal for non-public routes. */
export function authorize(access: Access, principal: Principal | undefined): Principal | undefined {
  if (access === "public") return principal;
  if (principal === undefined) throw new UnauthorizedError();
  if (access === "service") {
    if (principal.scopes.includes(PRODUCER_SCOPE) || principal.groups.includes(MARKETERS_GROUP))
      return principal;
    throw new ForbiddenError(
      `This route is for producer services (scope "${PRODUCER_SCOPE}") and marketers.`,
    );
  }
  if (access === "partner") {
    if (
      principal.groups.includes(MARKETERS_GROUP) ||
      principal.scopes.some((s) => s.startsWith(PARTNER_SCOPE_PREFIX))
    )
      return principal;
    throw new ForbiddenError(
      `This route is for partners (scope "${PARTNER_SCOPE_PREFIX}<id>") and marketers.`,
    );
  }
  const group = access === "marketer" ? MARKETERS_GROUP : MEMBERS_GROUP;
  if (!principal.groups.includes(group)) {
    throw new ForbiddenError(`This route is for the "${group}" group only.`);
  }
  return principal;
}

/** A partner route's second check: a partner's client sees only its own partner id; marketers see every one. */
export function assertPartnerAccess(principal: Principal, partnerId: string): void {
  if (principal.groups.includes(MARKETERS_GROUP) || principal.scopes.includes(partnerScope(partnerId)))
    return;
  throw new ForbiddenError(`This token's partner scope does not cover partner "${partnerId}".`);
}
