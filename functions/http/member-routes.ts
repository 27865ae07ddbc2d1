import type * as z from "zod";
import type { LedgerEntry } from "../../domain/ledger/ledger-entry";
import type { MemberState } from "../../domain/member/member-state";
import type { Program } from "../../domain/program/program-schema";
import {
  idempotencyHeaders,
  ledgerPageSchema,
  ledgerQuerySchema,
  memberRewardsSchema,
  memberSummarySchema,
  preferencesSchema,
  redemptionRequestSchema,
  redemptionSchema,
} from "./api-schemas";
import { ValidationError } from "./http-errors";
import { type HttpApiDeps, programInEffectNow, readMember } from "./member-access";
import { ledgerEntryView, memberRewards, memberSummary } from "./member-views";
import { readPreferences, writePreferences } from "./preferences";
import { redeem } from "./redemptions";
import { defineRoute, Reply, type Route } from "./route";
import { signLedgerCursor, verifyLedgerCursor } from "./signed-token";

// Member routes act on the caller only: the member id is the one linked to the token (its `memberId` claim,
// else the stored link of its `sub`), never a path or body field, so member A has no way to name member B.

export function memberRoutes(deps: HttpApiDeps): Route[] {
  /** GET of a view of the caller's state (one GetItem of STATE) under the program in effect. */
  const ownViewRoute = <R extends z.ZodType>(spec: {
    path: string;
    operationId: string;
    summary: string;
    description?: string;
    response: { description: string; schema: R };
    view: (state: MemberState, program: Program, now: Date) => z.input<R>;
  }) =>
    defineRoute({
      method: "GET",
      path: spec.path,
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description !== undefined && { description: spec.description }),
      access: "member",
      response: { status: 200, ...spec.response },
      problems: [404, 503],
      handle: async ({ principal, now }) => {
        const program = await programInEffectNow(deps, now);
        const { state } = await readMember(deps, principal.memberId, program, now);
        return spec.view(state, program, now);
      },
    });
  return [
    ownViewRoute({
      path: "/me",
      operationId: "getMe",
      summary: "Points, tier and what keeps it, points to the next tier, expiring points, unlocked rewards",
      description: "One GetItem of the member's state, whatever the length of their history.",
      response: { description: "The member's summary", schema: memberSummarySchema },
      view: memberSummary,
    }),
    defineRoute({
      method: "GET",
      path: "/me/ledger",
      operationId: "getMyLedger",
      summary: "The member's ledger, newest first, with the reason and rule ids of every entry",
      access: "member",
      query: ledgerQuerySchema,
      response: { status: 200, description: "One page of entries", schema: ledgerPageSchema },
      handle: async ({ principal, query }) => {
        let after: string | undefined;
        if (query.cursor !== undefined) {
          after = verifyLedgerCursor(deps.signer, principal.memberId, query.cursor);
          if (after === undefined)
            throw new ValidationError([
              { path: "query.cursor", message: "is not a cursor this API issued to you" },
            ]);
        }
        const page = await deps.members.queryLedger<LedgerEntry>(principal.memberId, {
          limit: query.limit,
          ...(after !== undefined && { cursor: after }),
        });
        return {
          entries: page.records.map((r) => ledgerEntryView(r.entry)),
          ...(page.cursor !== undefined && {
            nextCursor: signLedgerCursor(deps.signer, principal.memberId, page.cursor),
          }),
        };
      },
    }),
    ownViewRoute({
      path: "/me/rewards",
      operationId: "getMyRewards",
      summary: "The rewards catalogue as it applies to the member: cost, availability, limits, affordability",
      response: { description: "Catalogue for this member", schema: memberRewardsSchema },
      view: memberRewards,
    }),
    defineRoute({
      method: "POST",
      path: "/me/redemptions",
      operationId: "redeemReward",
      summary: "Redeem points for a reward and get a voucher code",
      description:
        "Idempotent per Idempotency-Key: a retry returns the first result (same voucher code, `replayed: true`). " +
        "Concurrent redemptions never overdraw the balance.",
      access: "member",
      headers: idempotencyHeaders,
      body: redemptionRequestSchema,
      response: { status: 201, description: "The redemption", schema: redemptionSchema },
      problems: [404, 409, 422, 503],
      handle: async ({ principal, headers, body, now }) => {
        // A replay answers like the first request (201), flagged `replayed` and by a header.
        const result = await redeem(deps, principal.memberId, headers["idempotency-key"], body.rewardId, now);
        return new Reply(result, 201, result.replayed ? { "idempotent-replayed": "true" } : {});
      },
    }),
    defineRoute({
      method: "GET",
      path: "/me/preferences",
      operationId: "getMyPreferences",
      summary: "Marketing consent per channel, time zone and quiet hours",
      access: "member",
      response: { status: 200, description: "Preferences", schema: preferencesSchema },
      handle: async ({ principal }) => readPreferences(deps, principal.memberId),
    }),
    defineRoute({
      method: "PUT",
      path: "/me/preferences",
      operationId: "putMyPreferences",
      summary: "Replace the member's preferences",
      access: "member",
      body: preferencesSchema,
      response: { status: 200, description: "Preferences as stored", schema: preferencesSchema },
      handle: async ({ principal, body, now }) =>
        writePreferences(deps, { memberId: principal.memberId, preferences: body, now }),
    }),
  ];
}
