import { errors, jwtVerify, SignJWT } from "jose";

// Local stand-in for Cognito: HS256 tokens signed with a fixed, public dev key. They carry the same
// claims as a Cognito access token so the handler cannot tell the difference; the key is only ever
// trusted by the local server (API Gateway in AWS verifies Cognito's RS256 keys instead).

export const LOCAL_ISSUER = "https://patron.localhost/cognito-local";
export const LOCAL_CLIENT_ID = "patron-local-client";
/** Fixed dev key: anyone can mint local tokens, which is the point of a local stack. */
const LOCAL_JWT_KEY = new TextEncoder().encode("patron-local-dev-jwt-key-do-not-use-in-aws-0001");
/**
 * Dev signing secret for the local stack and tests (cursors, unsubscribe links, vouchers), passed to the
 * handler factories directly; in AWS the handlers fetch theirs from Secrets Manager (SIGNING_SECRET_ARN).
 */
export const LOCAL_SIGNING_SECRET = "patron-local-dev-signing-secret-do-not-use-in-aws";

/**
 * A member (linked: the `memberId` claim, with `sub` the member id unless given), a signed-in shopper not
 * linked to a member yet (`user`: a Cognito sub, the members group and no memberId, as the pre-token trigger
 * issues it), a marketer, or a producer's or a coalition partner's machine client (client credentials: a scope,
 * no groups; a partner's scope is `patron/partner.<id>`).
 */
export type LocalRole =
  | { member: string; sub?: string }
  | { user: string }
  /** `groups`: more groups besides "marketers", e.g. "auditor" (the marketers' pool's groups). */
  | { marketer: string; groups?: readonly string[] }
  | { producer: string }
  | { partner: string };

export interface LocalTokenOptions {
  /** Lifetime in seconds (Cognito's default access token lives 1 hour). */
  expiresInSeconds?: number;
  now?: Date;
}

/**
 * A Cognito-like access token: `sub`, `cognito:groups`, `token_use`, `iss`, `client_id`, `username`, `exp`, and
 * a linked member's `memberId`.
 */
export async function signLocalToken(role: LocalRole, options: LocalTokenOptions = {}): Promise<string> {
  const [subject, group] =
    "member" in role
      ? [role.sub ?? role.member, "members"]
      : "user" in role
        ? [role.user, "members"]
        : "marketer" in role
          ? [role.marketer, "marketers"]
          : "producer" in role
            ? [role.producer, undefined]
            : [`partner-${role.partner}`, undefined];
  if (subject.trim() === "" || ("member" in role && role.member.trim() === ""))
    throw new Error("the member id / user / marketer / producer name must not be empty");
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    ...(group && {
      "cognito:groups": [group, ...("marketer" in role ? (role.groups ?? []) : [])],
      username: subject,
    }),
    ...("member" in role && { memberId: role.member }),
    token_use: "access",
    client_id: LOCAL_CLIENT_ID,
    scope: group
      ? "aws.cognito.signin.user.admin"
      : "partner" in role
        ? `patron/partner.${role.partner}`
        : "patron/producer",
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: "patron-local" })
    .setSubject(subject)
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 3600))
    .setJti(crypto.randomUUID())
    .sign(LOCAL_JWT_KEY);
}

export type JwtClaims = Record<string, unknown>;

/** Checks what API Gateway's JWT authorizer checks: signature, issuer, expiry, and the client id. */
export async function verifyLocalToken(token: string): Promise<JwtClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, LOCAL_JWT_KEY, {
      issuer: LOCAL_ISSUER,
      algorithms: ["HS256"],
    });
    // Access tokens carry no `aud`; API Gateway matches `client_id` against the configured audience.
    if (payload.client_id !== LOCAL_CLIENT_ID || payload.token_use !== "access") return undefined;
    return payload as JwtClaims;
  } catch (error) {
    if (error instanceof errors.JOSEError) return undefined;
    throw error;
  }
}
