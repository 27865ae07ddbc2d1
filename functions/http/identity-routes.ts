import { randomUUID } from "node:crypto";
import * as z from "zod";
import {
  type MemberEnrolled,
  memberEnrolledEvent,
  memberEnrolledSchema,
} from "../../events/inbound/member-enrolled";
import { memberIdSchema } from "../../events/primitives";
import type { IdentityLink, LinkRefusal } from "../adapters/dynamo/identity-links";
import { canonicalLinkCode, linkCodeHash } from "../identity/link-codes";
import { enrolFromDetail } from "../pipeline/process-enrolment";
import { ConflictError, UnprocessableError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import type { Principal } from "./principal";
import { defineRoute, Reply, type Route } from "./route";

// A signed-in shopper (members group) links their Cognito user to a loyalty member once: with a link code
// the till or web shop issued for that member (POST /members/{id}/link-codes), or by joining the programme
// here. Linking by a verified e-mail address happens when Cognito issues the token
// (functions/identity/token-claims.ts). The link is stored both ways (identity-links.ts) and every member
// route then acts on the linked member, with this token already (the API reads the stored link when the
// token has no memberId claim) or with the next one (the pre-token trigger puts the claim in).

export const identityLinkSchema = z.object({
  memberId: z.string(),
  method: z.enum(["verified-email", "link-code", "enrolment"]).describe("How the user was linked"),
  linkedAt: z.string(),
});

const linkRequestSchema = z.strictObject({
  memberId: memberIdSchema.describe("The member id on the member's card or receipt"),
  code: z
    .string()
    .max(16)
    .regex(/^[\s-]*([0-9A-Za-z][\s-]*){8}$/, {
      error: 'is not a link code: 8 letters and digits, e.g. "7K3Q-9XWD"',
    })
    .describe(
      'The link code the shop gave the member, e.g. "7K3Q-9XWD" (case, spaces and dashes do not matter)',
    ),
});

const enrolmentRequestSchema = memberEnrolledSchema
  .unwrap()
  .omit({ schemaVersion: true, memberId: true, occurredAt: true, storeId: true })
  .extend({
    channel: memberEnrolledSchema.unwrap().shape.channel.describe('Where the member joined; default "app"'),
  });

const enrolmentSchema = identityLinkSchema.extend({
  enrolledAt: z.string(),
});

const linkView = (link: IdentityLink) => ({
  memberId: link.memberId,
  method: link.method,
  linkedAt: link.linkedAt,
});

function alreadyLinked(link: IdentityLink): ConflictError {
  return new ConflictError(
    `This sign-in is linked to member ${link.memberId} already; a marketer can revoke the link.`,
    "identity-already-linked",
  );
}

function refused(refusal: LinkRefusal, memberId: string): Error {
  if (refusal === "member-linked")
    return new ConflictError(
      `Member ${memberId} is linked to another sign-in; a marketer can revoke that link.`,
      "member-already-linked",
    );
  if (refusal === "code-used") return codeProblem("link-code-used", "This link code has been used.");
  return new ConflictError("This sign-in was linked to a member meanwhile.", "identity-already-linked");
}

const codeProblem = (slug: string, detail: string) => new UnprocessableError(detail, slug);

/** The code's checks, each with its own problem type, before the link transaction re-checks them atomically. */
async function checkCode(deps: HttpApiDeps, body: z.output<typeof linkRequestSchema>, now: Date) {
  const canonical = canonicalLinkCode(body.code);
  const codeHash = canonical === undefined ? undefined : linkCodeHash(deps.signer, canonical);
  const code = codeHash === undefined ? undefined : await deps.identityLinks.codeByHash(codeHash);
  if (codeHash === undefined || code === undefined)
    throw codeProblem(
      "link-code-unknown",
      "This is not a link code we issued; check it or ask for a new one.",
    );
  if (code.memberId !== body.memberId)
    throw codeProblem("link-code-wrong-member", "This link code was issued for another member id.");
  if (code.usedAt !== undefined) throw codeProblem("link-code-used", "This link code has been used.");
  if (code.validUntil <= now.toISOString())
    throw codeProblem(
      "link-code-expired",
      `This link code expired at ${code.validUntil}; ask for a new one.`,
    );
  return { codeHash, issuedBy: code.issuedBy };
}

/** A signed-in user's request: who, what they sent, and when. */
interface IdentityRequest<S extends z.ZodType> {
  principal: Principal;
  body: z.output<S>;
  now: Date;
}

async function linkByCode(
  deps: HttpApiDeps,
  { principal, body, now }: IdentityRequest<typeof linkRequestSchema>,
) {
  const existing = await deps.identityLinks.linkOf(principal.sub);
  // A retry after a lost answer gets the link it made; any other member is refused.
  if (existing?.memberId === body.memberId) return linkView(existing);
  if (existing) throw alreadyLinked(existing);
  const { codeHash, issuedBy } = await checkCode(deps, body, now);
  const link: IdentityLink = {
    sub: principal.sub,
    memberId: body.memberId,
    method: "link-code",
    linkedAt: now.toISOString(),
    linkedBy: principal.actor,
    codeIssuedBy: issuedBy,
  };
  const outcome = await deps.identityLinks.link({ link, codeHash });
  if (outcome !== "linked") throw refused(outcome, body.memberId);
  return linkView(link);
}

async function enrol(
  deps: HttpApiDeps,
  { principal, body, now }: IdentityRequest<typeof enrolmentRequestSchema>,
) {
  const existing = await deps.identityLinks.linkOf(principal.sub);
  // Linked by an enrolment that stopped before the member was stored: finish it; otherwise one is enough.
  const unfinished =
    existing?.method === "enrolment" && (await deps.members.getMember(existing.memberId)) === undefined;
  if (existing && !unfinished) throw alreadyLinked(existing);
  const memberId = existing?.memberId ?? `m-${randomUUID()}`;
  const occurredAt = existing?.linkedAt ?? now.toISOString();
  const detail: MemberEnrolled = memberEnrolledSchema.parse({
    ...body,
    schemaVersion: "1",
    memberId,
    occurredAt,
    channel: body.channel ?? "app",
  });
  if (!existing) {
    const link: IdentityLink = {
      sub: principal.sub,
      memberId,
      method: "enrolment",
      linkedAt: occurredAt,
      linkedBy: principal.actor,
    };
    // Member Enrolled goes out through the outbox with the link: both or neither. Published as source "patron",
    // it is news for other systems (CRM, e-mail); the consumer rules only take producers' events, so the
    // member is not enrolled a second time by it.
    const event = { id: `member-enrolled:${memberId}`, type: memberEnrolledEvent.detailType, detail };
    const outcome = await deps.identityLinks.link({ link, outbox: { events: [event], at: now } });
    if (outcome !== "linked") throw refused(outcome, memberId);
  }
  await enrolFromDetail(
    {
      members: deps.members,
      programs: deps.programs,
      clock: () => now,
      ...(deps.retry && { retry: deps.retry }),
    },
    detail,
  );
  return { memberId, method: "enrolment" as const, linkedAt: occurredAt, enrolledAt: occurredAt };
}

export function identityRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "POST",
      path: "/me/link",
      operationId: "linkMyIdentity",
      tag: "member",
      summary: "Link this sign-in to a loyalty member with a link code the shop issued for that member",
      description:
        "Once per sign-in and per member. The code is single-use, valid for 15 minutes and bound to the member " +
        "id it was issued for. Problem types: link-code-unknown, link-code-wrong-member, link-code-used, " +
        "link-code-expired (422); identity-already-linked, member-already-linked (409). A retry by the user it " +
        "linked answers the same link.",
      access: "identity",
      body: linkRequestSchema,
      response: { status: 200, description: "The link", schema: identityLinkSchema },
      problems: [409, 422],
      handle: async (input) => linkByCode(deps, input),
    }),
    defineRoute({
      method: "POST",
      path: "/me/enrolment",
      operationId: "enrolMe",
      tag: "member",
      summary: "Join the programme as a new member, linked to this sign-in; publishes Member Enrolled",
      description:
        "For a signed-in user who is not a member yet: creates a member (a new member id, the lowest tier) " +
        "with this profile, links it to the sign-in and publishes Member Enrolled (source patron). A sign-in " +
        "linked already gets 409 identity-already-linked.",
      access: "identity",
      body: enrolmentRequestSchema,
      response: { status: 201, description: "The new member and its link", schema: enrolmentSchema },
      problems: [409, 503],
      handle: async (input) => new Reply(await enrol(deps, input), 201),
    }),
  ];
}
