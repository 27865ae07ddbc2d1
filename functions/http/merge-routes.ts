import * as z from "zod";
import { MAX_ABSORBED } from "../../domain/member/merge-members";
import { memberIdSchema } from "../../events/primitives";
import { type MergeAnswer, MergeTooLarge } from "../shared/member-merge";
import { memberIdParams } from "./api-schemas";
import { auditEntry, audited } from "./audit-trail";
import { ConflictError, UnprocessableError } from "./http-errors";
import { type HttpApiDeps, programInEffectNow } from "./member-access";
import { defineRoute, type Route } from "./route";

// Merging a duplicate customer into the member kept (functions/shared/member-merge.ts): audited before it acts,
// once per duplicate for ever (a retry answers the first merge).

const mergeRequestSchema = z.strictObject({
  absorbedId: memberIdSchema.describe(
    "The duplicate: its points, progress, offer codes and consent withdrawals move",
  ),
  reason: z
    .string()
    .trim()
    .min(1, { error: "reason must say why the members are merged" })
    .max(300, { error: "reason must be at most 300 characters" })
    .describe("Why, in words the member may read; kept on both ledger entries"),
});

const mergeAnswerSchema = z.object({
  memberId: z.string().describe("The member kept"),
  absorbedId: z.string().describe("The duplicate, now forwarding its events to memberId"),
  points: z.int().describe("Spendable points moved, net of debt"),
  pendingPoints: z.int().describe("Pending points moved, with their release days"),
  statusPoints: z.int().describe("Tier-qualifying status points moved"),
  balance: z.int().describe("memberId's spendable balance after the merge"),
  mergedAt: z.string(),
}) satisfies z.ZodType<MergeAnswer>;

export function mergeRoutes(deps: HttpApiDeps): Route[] {
  const { mergeMembers } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/members/{id}/merge",
      operationId: "mergeMembers",
      summary:
        "Merge a duplicate customer into this member; every point, tier month, offer code and unsubscribe moves",
      description:
        "One transaction over both members: the duplicate's spendable lots (with expiry days), pending lots, debt and qualifying months move to " +
        "this member, counters and punch cards add up, the higher tier stays; the duplicate's e-mail consent withdrawals stay withdrawn; its " +
        "offer codes move. The duplicate keeps its ledger and forwards every later event (and its sign-in) to this member. A duplicate is " +
        "merged once, for ever: repeating the same merge answers the first result; merging it elsewhere is 409. The merge is audited.",
      access: "marketer",
      params: memberIdParams,
      body: mergeRequestSchema,
      response: { status: 200, description: "What moved", schema: mergeAnswerSchema },
      rules: `A member absorbs at most ${MAX_ABSORBED} duplicates (refunds of their orders are looked up in their ledgers).`,
      problems: [404, 409, 422, 503],
      handle: async ({ params, body, principal, ...context }) => {
        const entry = auditEntry({ ...context, principal }, "member.merge", { memberId: params.id });
        return audited(deps, entry, async () => {
          const program = await programInEffectNow(deps, context.now);
          const outcome = await mergeMembers(
            { clock: () => context.now, ...(deps.retry && { retry: deps.retry }) },
            {
              survivorId: params.id,
              absorbedId: body.absorbedId,
              request: { actor: principal.actor, reason: body.reason },
              program,
            },
          ).catch((error: unknown) => {
            if (error instanceof MergeTooLarge)
              throw new UnprocessableError(error.message, "merge-too-large");
            throw error;
          });
          if (outcome.outcome === "already-merged")
            throw new ConflictError(
              `Member ${body.absorbedId} was merged already (into ${outcome.applied.memberId}) with another request`,
              "already-merged",
            );
          return outcome.answer;
        });
      },
    }),
  ];
}
