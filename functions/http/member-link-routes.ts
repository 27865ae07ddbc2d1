import * as z from "zod";
import {
  canonicalLinkCode,
  LINK_CODE_VALID_MINUTES,
  linkCodeHash,
  newLinkCode,
} from "../identity/link-codes";
import { memberIdParams } from "./api-schemas";
import { auditedByMember } from "./audit-trail";
import { ConflictError, NotFoundError } from "./http-errors";
import { identityLinkSchema } from "./identity-routes";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, Reply, type Route } from "./route";

// The shop's and the marketer's side of identity links: a till or web shop (a producer's service client) or a
// marketer issues a link code for an enrolled member, who types it with their member id (POST /me/link);
// marketers see a member's link with its history and revoke it (the history keeps who revoked it and when).
// Issuing a code, reading a link and revoking one go to the audit trail (audit-trail.ts) before they act: a code
// or a revocation is how a sign-in gets to a member's account, and the history names Cognito users.

const linkCodeSchema = z.object({
  memberId: z.string(),
  code: z
    .string()
    .describe('Single-use code for the member to type, e.g. "7K3Q-9XWD"; never stored, only its hash'),
  validUntil: z
    .string()
    .describe(`When the code stops linking (${LINK_CODE_VALID_MINUTES} minutes after issue)`),
});

const identityLogSchema = z.object({
  event: z.enum(["linked", "revoked"]),
  sub: z.string().describe("Cognito user (sub)"),
  at: z.string(),
  by: z
    .string()
    .describe("Who linked (the signed-in user, or the pre-token trigger) or revoked (the marketer)"),
  method: identityLinkSchema.shape.method.optional(),
  codeIssuedBy: z.string().optional().describe("For a link code: who issued it"),
  reason: z.string().optional(),
});

const memberIdentitySchema = z.object({
  link: identityLinkSchema
    .extend({ sub: z.string(), linkedBy: z.string(), codeIssuedBy: z.string().optional() })
    .nullable()
    .describe("The Cognito user linked to the member; null when none"),
  history: z.array(identityLogSchema).describe("Every link and revocation, oldest first"),
});

const revocationQuery = z.object({
  reason: z.string().min(1).max(200).optional().describe("Why, for the history"),
});

const revokedSchema = z.object({ revoked: memberIdentitySchema.shape.link.unwrap() });

/** Tries a few codes in the (40-bit) space should one collide with a stored code. */
const ISSUE_ATTEMPTS = 3;

async function memberExists(deps: HttpApiDeps, memberId: string): Promise<boolean> {
  const [state, profile] = await Promise.all([
    deps.members.getMember(memberId),
    deps.members.getProfile(memberId),
  ]);
  return state !== undefined || profile !== undefined;
}

/** A new code for an enrolled member with no linked sign-in; the caller has audited the request. */
async function issueLinkCode(
  deps: HttpApiDeps,
  request: { memberId: string; issuedBy: string; now: Date },
): Promise<Reply<z.input<typeof linkCodeSchema>>> {
  const { memberId, now } = request;
  if (!(await memberExists(deps, memberId))) throw new NotFoundError(`No member ${memberId}`);
  if (await deps.identityLinks.linkOfMember(memberId))
    throw new ConflictError(`Member ${memberId} is linked to a sign-in already.`, "member-already-linked");
  const validUntil = new Date(now.getTime() + LINK_CODE_VALID_MINUTES * 60_000).toISOString();
  for (let attempt = 0; attempt < ISSUE_ATTEMPTS; attempt += 1) {
    const code = newLinkCode();
    const hash = linkCodeHash(deps.signer, canonicalLinkCode(code) ?? code);
    const stored = await deps.identityLinks.issueCode(hash, {
      memberId,
      issuedAt: now.toISOString(),
      issuedBy: request.issuedBy,
      validUntil,
    });
    if (stored) return new Reply({ memberId, code, validUntil }, 201);
  }
  throw new Error(`no free link code after ${ISSUE_ATTEMPTS} attempts`);
}

export function memberLinkRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "POST",
      path: "/members/{id}/link-codes",
      operationId: "issueLinkCode",
      summary: "A single-use code that links the member's sign-in to this member (POST /me/link)",
      description:
        `Valid for ${LINK_CODE_VALID_MINUTES} minutes, once, and only with this member id. For a till or web ` +
        "shop (producer service scope) or a marketer. A member whose sign-in is linked already gets 409 member-already-linked.",
      access: "service",
      params: memberIdParams,
      response: { status: 201, description: "The code", schema: linkCodeSchema },
      problems: [404, 409],
      handle: (input) =>
        auditedByMember(deps, { input, action: "link-code.issue" }, () =>
          issueLinkCode(deps, { memberId: input.params.id, issuedBy: input.principal.actor, now: input.now }),
        ),
    }),
    defineRoute({
      method: "GET",
      path: "/members/{id}/identity",
      operationId: "getMemberIdentity",
      summary: "The sign-in linked to the member, and every link and revocation (who, when, how)",
      access: "marketer",
      params: memberIdParams,
      response: { status: 200, description: "Link and history", schema: memberIdentitySchema },
      handle: (input) =>
        auditedByMember(deps, { input, action: "identity.read" }, async () => {
          const [link, history] = await Promise.all([
            deps.identityLinks.linkOfMember(input.params.id),
            deps.identityLinks.history(input.params.id),
          ]);
          return { link: link ?? null, history };
        }),
    }),
    defineRoute({
      method: "DELETE",
      path: "/members/{id}/identity",
      operationId: "revokeMemberIdentity",
      summary:
        "Revoke the member's link to a sign-in; it links again only explicitly (a link code or enrolment)",
      description:
        "Recorded in the history with the marketer and the reason. The sign-in's verified e-mail no longer " +
        "links it to this member by itself; a link code still does. A token issued before keeps its memberId " +
        "claim until it expires (at most an hour); the next token has none.",
      access: "marketer",
      params: memberIdParams,
      query: revocationQuery,
      response: { status: 200, description: "The link revoked", schema: revokedSchema },
      problems: [404],
      handle: (input) =>
        auditedByMember(deps, { input, action: "identity.revoke" }, async () => {
          const { params, query, principal, now } = input;
          const revoked = await deps.identityLinks.revoke({
            memberId: params.id,
            by: principal.actor,
            at: now.toISOString(),
            ...(query.reason !== undefined && { reason: query.reason }),
          });
          if (!revoked) throw new NotFoundError(`Member ${params.id} is linked to no sign-in.`);
          return { revoked };
        }),
    }),
  ];
}
