import type { IdentityLinks } from "../adapters/dynamo/identity-links";
import { MARKETERS_GROUP, MEMBERS_GROUP } from "../http/principal";

// What a member's token says about them: the `members` group, and the Patron member id once the Cognito
// user is linked. Computed by the Cognito pre-token-generation trigger (functions/handlers/
// pre-token-generation.ts) and, with the very same function, by the local token path (npm start), so a
// local token carries what a deployed one would.
//
// Linking by verified e-mail happens here, on sign-in or token refresh: the access token the API sees
// carries no e-mail address, while the trigger has the user's attributes, including whether Cognito
// verified the address. It links when the address is verified and exactly one member's PROFILE has it, unless
// a marketer revoked a link of this user to that member: a revocation must not be undone by the next sign-in.

export interface TokenUser {
  sub: string;
  /** For the audit trail; the sub when absent. */
  username?: string;
  email?: string;
  emailVerified: boolean;
  /** The user's Cognito groups. */
  groups: readonly string[];
}

export interface MemberClaims {
  groups: string[];
  /** Absent while the user is not linked to a member. */
  memberId?: string;
}

export interface TokenClaimDeps {
  links: Pick<IdentityLinks, "linkOf" | "link" | "emailLinkRevoked">;
  findMembersByEmail(email: string): Promise<string[]>;
  now(): Date;
  /** A failed lookup or link: reported, and the token gets the group without a memberId (see below). */
  onError?(error: unknown): void;
}

/** Who the audit trail names for a link the trigger made. */
export const TRIGGER_ACTOR = "cognito:pre-token-generation";

/** The member claims for a user; undefined for a marketer, whose token stays as Cognito made it. */
export async function memberClaimsFor(
  deps: TokenClaimDeps,
  user: TokenUser,
): Promise<MemberClaims | undefined> {
  if (user.groups.includes(MARKETERS_GROUP)) return undefined;
  const groups = user.groups.includes(MEMBERS_GROUP) ? [...user.groups] : [...user.groups, MEMBERS_GROUP];
  // Failing here would fail the sign-in. A token without the claim still works: member routes read the stored
  // link of its sub, and the next sign-in or refresh links by e-mail again. An error only withholds the claim:
  // nothing is linked unless every check (the revocation marker included) answered.
  const memberId = await linkedMember(deps, user).catch((error: unknown) => {
    deps.onError?.(error);
    return undefined;
  });
  return memberId === undefined ? { groups } : { groups, memberId };
}

async function linkedMember(deps: TokenClaimDeps, user: TokenUser): Promise<string | undefined> {
  return (await deps.links.linkOf(user.sub))?.memberId ?? (await linkByEmail(deps, user));
}

async function linkByEmail(deps: TokenClaimDeps, user: TokenUser): Promise<string | undefined> {
  if (!user.emailVerified || user.email === undefined || user.email === "") return undefined;
  const matches = await deps.findMembersByEmail(user.email);
  const [memberId] = matches;
  // None, or several members share the address: the user links with a code or enrols instead.
  if (memberId === undefined || matches.length > 1) return undefined;
  if (await deps.links.emailLinkRevoked(user.sub, memberId)) return undefined;
  const outcome = await deps.links.link({
    link: {
      sub: user.sub,
      memberId,
      method: "verified-email",
      linkedAt: deps.now().toISOString(),
      linkedBy: `${TRIGGER_ACTOR} for ${user.username ?? user.sub}`,
    },
  });
  if (outcome === "linked") return memberId;
  // A concurrent sign-in of the same user linked first: use what it linked.
  if (outcome === "identity-linked") return (await deps.links.linkOf(user.sub))?.memberId;
  // The member is linked to another user already: this user must not get their points.
  return undefined;
}
