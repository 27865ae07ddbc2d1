import * as z from "zod";
import { NoSuchMemberError } from "../privacy/member-erasure";
import { EXPORT_ITEM_CAP, EXPORT_LEDGER_PAGE, exportMember } from "../privacy/member-export";
import { memberIdParams, memberSummarySchema } from "./api-schemas";
import { auditEntry, audited, auditedByMember } from "./audit-trail";
import { NotFoundError, ValidationError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";
import { signLedgerCursor, verifyLedgerCursor } from "./signed-token";

// GDPR access and erasure (functions/privacy/). A member exports only themselves (the id comes from the
// token); a marketer exports or erases anyone, each request written to the audit trail before it acts.

const record = z.record(z.string(), z.unknown());

const erasureSchema = z.object({
  memberId: z.string(),
  erasureId: z.string(),
  pseudonym: z.string().describe("What replaced the member's e-mail and names in the items Patron keeps"),
  requestedAt: z.string(),
  requestedBy: z.object({ sub: z.string(), name: z.string() }).describe("The marketer who asked for it"),
  status: z.enum(["erasing", "erased"]).describe("erasing: started, not finished (a new request resumes it)"),
  completedAt: z.string().optional(),
  counts: z.record(z.string(), z.int()).optional().describe("Items rewritten or deleted, by kind"),
});

const cappedSchema = z.object({
  items: z.array(record),
  truncated: z
    .boolean()
    .describe(`More than ${EXPORT_ITEM_CAP} items: only the first ${EXPORT_ITEM_CAP} are listed`),
});

const exportSchema = z.object({
  memberId: z.string(),
  exportedAt: z.string(),
  erasure: erasureSchema.optional().describe("Present once the member was erased"),
  profile: record
    .nullable()
    .describe("The PROFILE as stored (contact data, consent, fieldsChangedAt); null once erased"),
  consent: z
    .array(z.object({ channel: z.string(), granted: z.boolean(), changedAt: z.string().optional() }))
    .describe("Each channel's consent and when it was last given or withdrawn (the newest fact is kept)"),
  summary: memberSummarySchema,
  state: record.describe(
    "The whole member state: points lots, tier windows, lifetime figures, interactions, activity, analytics scores, retention lifecycle",
  ),
  ledger: z
    .object({
      entries: z.array(record).describe("Whole stored ledger entries, newest first"),
      pageSize: z.int(),
      nextCursor: z
        .string()
        .optional()
        .describe("Paged: pass as cursor for the next page; absent on the last"),
    })
    .describe(`Paged: at most ${EXPORT_LEDGER_PAGE} entries per response`),
  messages: cappedSchema.describe("Retention e-mail records (MSG items)"),
  offers: cappedSchema.describe("Offer codes issued to the member (OFFER items)"),
  identity: z
    .object({ link: record.optional(), history: z.array(record) })
    .describe("Linked sign-in identity"),
});

const exportQuery = z.object({
  cursor: z.string().max(2048).optional().describe("`ledger.nextCursor` of the previous export page"),
});

const EXPORT_DESCRIPTION =
  `One JSON document: profile, consent, summary and state, messages and offer codes (each capped at ${EXPORT_ITEM_CAP}), ` +
  `identity link, and the ledger paged ${EXPORT_LEDGER_PAGE} entries at a time (follow ledger.nextCursor with ?cursor=; ` +
  "the other parts repeat on every page).";

async function exportPage(deps: HttpApiDeps, memberId: string, now: Date, cursor: string | undefined) {
  let ledgerAfter: string | undefined;
  if (cursor !== undefined) {
    ledgerAfter = verifyLedgerCursor(deps.signer, memberId, cursor);
    if (ledgerAfter === undefined)
      throw new ValidationError([
        { path: "query.cursor", message: "is not a cursor this API issued for this member" },
      ]);
  }
  const { ledger, ...rest } = await exportMember(deps, {
    memberId,
    now,
    ...(ledgerAfter !== undefined && { ledgerAfter }),
  });
  return {
    ...rest,
    ledger: {
      entries: ledger.entries,
      pageSize: ledger.pageSize,
      ...(ledger.lastSk !== undefined && {
        nextCursor: signLedgerCursor(deps.signer, memberId, ledger.lastSk),
      }),
    },
  };
}

export function privacyRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/me/export",
      operationId: "exportMe",
      summary: "Everything Patron holds about the signed-in member, as JSON (GDPR access)",
      description: EXPORT_DESCRIPTION,
      access: "member",
      query: exportQuery,
      response: { status: 200, description: "The member's data", schema: exportSchema },
      problems: [404, 503],
      handle: ({ principal, query, now }) => exportPage(deps, principal.memberId, now, query.cursor),
    }),
    defineRoute({
      method: "GET",
      path: "/members/{id}/export",
      operationId: "exportMember",
      summary: "Everything Patron holds about a member, as JSON (a data subject's access request); audited",
      description: EXPORT_DESCRIPTION,
      access: "marketer",
      params: memberIdParams,
      query: exportQuery,
      response: { status: 200, description: "The member's data", schema: exportSchema },
      problems: [404, 503],
      handle: (input) =>
        auditedByMember(deps, { input, action: "member.export" }, () =>
          exportPage(deps, input.params.id, input.now, input.query.cursor),
        ),
    }),
    defineRoute({
      method: "POST",
      path: "/members/{id}/erasure",
      operationId: "eraseMember",
      summary: "Erase a member's personal data (GDPR erasure); idempotent, audited",
      description:
        "Deletes the profile (no address: no more e-mail) and the identity link, replaces the member's e-mail and " +
        "names in ledger entries, messages, offer codes and adjustment records by a pseudonym, drops survey " +
        "comments, deletes their parked rejected events, and records the erasure. Balances and ledger amounts stay. " +
        "A second request changes nothing and answers the first record; one that finds an unfinished erasure resumes it.",
      access: "marketer",
      params: memberIdParams,
      response: { status: 200, description: "The erasure record", schema: erasureSchema },
      problems: [404],
      handle: async ({ params, principal, ...context }) => {
        const entry = auditEntry({ ...context, principal }, "member.erasure", { memberId: params.id });
        const outcome = await audited(
          deps,
          entry,
          async () => {
            try {
              return await deps.privacy.erase({
                memberId: params.id,
                actor: { sub: principal.sub, name: principal.actor },
                now: context.now,
              });
            } catch (error) {
              if (error instanceof NoSuchMemberError) throw new NotFoundError(error.message);
              throw error;
            }
          },
          (result) => (result.replayed ? "replayed" : "erased"),
        );
        return outcome.record;
      },
    }),
  ];
}
