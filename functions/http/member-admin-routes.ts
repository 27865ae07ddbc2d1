import * as z from "zod";
import type { LedgerEntry } from "../../domain/ledger/ledger-entry";
import { spendableBalance } from "../../domain/ledger/lots";
import { adjustPoints } from "../../domain/member/adjust-points";
import { favouriteCategory } from "../../domain/member/queries";
import { emailSchema } from "../../events/primitives";
import { createMessageStore } from "../retention/message-store";
import {
  adjustmentRequestSchema,
  adjustmentResultSchema,
  idempotencyHeaders,
  ledgerEntrySchema,
  memberIdParams,
  memberSummarySchema,
} from "./api-schemas";
import { NotFoundError } from "./http-errors";
import { changeMember, type HttpApiDeps, programInEffectNow, readMember } from "./member-access";
import { ledgerEntryView, memberSummary } from "./member-views";
import { defineRoute, type Route } from "./route";

// The marketer's 360° view of one member and manual points adjustments (audited: the ledger entry
// records the actor, the reason and the request's idempotency key).

const RECENT_LEDGER = 20;
const RECENT_MESSAGES = 50;

const memberScoresSchema = z.object({
  segment: z.string().describe("RFM segment"),
  recency: z.int().min(1).max(5),
  frequency: z.int().min(1).max(5),
  monetary: z.int().min(1).max(5),
  probabilityAlive: z.number().min(0).max(1),
  expectedOrderValueMinor: z.int(),
  clvMinor: z.int(),
  scoredOn: z.string(),
  modelVersion: z.string(),
});

const member360Schema = z.object({
  summary: memberSummarySchema,
  profile: z.record(z.string(), z.unknown()).describe("Profile as stored (contact data, consent, time zone)"),
  recentLedger: z.array(ledgerEntrySchema),
  interactions: z.array(
    z.object({
      kind: z.string(),
      period: z.string(),
      periodKey: z.string(),
      count: z.int(),
      points: z.int(),
    }),
  ),
  lifetime: z.object({
    purchases: z.int(),
    spendMinor: z.int(),
    pointsEarned: z.int(),
    pointsRedeemed: z.int(),
    pointsExpired: z.int(),
    firstPurchaseAt: z.string().optional(),
    lastPurchaseAt: z.string().optional(),
  }),
  favouriteCategory: z.string().optional(),
  scores: memberScoresSchema.optional().describe("From the nightly analytics job; absent until first scored"),
  enrolledAt: z.string(),
  lifecycle: z
    .object({ stage: z.string(), since: z.string(), nextCheckOn: z.string() })
    .describe("Retention lifecycle stage and the day the retention job next looks at the member"),
  messages: z
    .array(
      z.object({
        trigger: z.string(),
        status: z.enum(["claimed", "deferred", "sent", "dropped"]),
        offerId: z.string().optional(),
        claimedAt: z.string(),
        sentAt: z.string().optional(),
        attempts: z.int(),
      }),
    )
    .describe("Retention e-mails: sent, owed (claimed or deferred) and dropped"),
});

const memberSearchQuery = z.object({
  email: emailSchema.describe("The member's current e-mail address; matched whole, ignoring case"),
});

const memberSearchSchema = z.object({
  members: z
    .array(z.object({ memberId: z.string() }))
    .describe("Members whose current e-mail is the address, in member id order; empty when none"),
});

export function memberAdminRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/members",
      operationId: "findMembers",
      tag: "marketer",
      summary: "Members by e-mail address: exact match on the current address, ignoring case",
      description:
        "One Query of the e-mail index (eventually consistent: a change of address shows within about a second). At most 100 members.",
      access: "marketer",
      query: memberSearchQuery,
      response: { status: 200, description: "The matching members", schema: memberSearchSchema },
      // The address is personal data: it is never logged (the request log carries the path, not the query).
      handle: async ({ query }) => ({
        members: (await deps.members.findMembersByEmail(query.email)).map((memberId) => ({ memberId })),
      }),
    }),
    defineRoute({
      method: "GET",
      path: "/members/{id}",
      operationId: "getMember",
      tag: "marketer",
      summary: "360° view: profile, balance, tier, recent ledger, interactions, lifetime figures",
      access: "marketer",
      params: memberIdParams,
      response: { status: 200, description: "The member", schema: member360Schema },
      problems: [404, 503],
      handle: async ({ params, now }) => {
        const program = await programInEffectNow(deps, now);
        const [{ state, snapshot }, profile, ledger, messages] = await Promise.all([
          readMember(deps, params.id, program, now),
          deps.members.getProfile(params.id),
          deps.members.queryLedger<LedgerEntry>(params.id, { limit: RECENT_LEDGER }),
          createMessageStore(deps).listMessages(params.id, RECENT_MESSAGES),
        ]);
        if (!snapshot && !profile) throw new NotFoundError(`No member ${params.id}`);
        const favourite = favouriteCategory(state);
        return {
          summary: memberSummary(state, program, now),
          profile: profile ?? {},
          recentLedger: ledger.records.map((r) => ledgerEntryView(r.entry)),
          interactions: state.interactions.map((c) => ({ ...c })),
          lifetime: state.lifetime,
          ...(favourite !== undefined && { favouriteCategory: favourite }),
          ...(state.scores !== undefined && { scores: state.scores }),
          enrolledAt: state.enrolledAt,
          lifecycle: {
            stage: state.retention.stage,
            since: state.retention.stageSince,
            nextCheckOn: state.retention.dueOn,
          },
          messages: messages
            .sort((a, b) => b.claimedAt.localeCompare(a.claimedAt))
            .map((m) => ({
              trigger: m.trigger.kind,
              status: m.status,
              ...(m.offerId !== undefined && { offerId: m.offerId }),
              claimedAt: m.claimedAt,
              ...(m.sentAt !== undefined && { sentAt: m.sentAt }),
              attempts: m.attempts,
            })),
        };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/members/{id}/adjustments",
      operationId: "adjustPoints",
      tag: "marketer",
      summary: "Manual points change with a required reason; audited with the marketer's name",
      access: "marketer",
      params: memberIdParams,
      headers: idempotencyHeaders,
      body: adjustmentRequestSchema,
      response: { status: 201, description: "The adjustment", schema: adjustmentResultSchema },
      problems: [404, 409, 422, 503],
      handle: async ({ params, headers, body, principal, now }) => {
        const adjustmentKey = `adjustment:${params.id}:${headers["idempotency-key"]}`;
        const change = await changeMember(deps, {
          memberId: params.id,
          sourceKey: adjustmentKey,
          request: { points: body.points, reason: body.reason },
          now,
          run: (state, program) =>
            adjustPoints(
              state,
              program,
              { amount: body.points, reason: body.reason, actor: principal.actor, adjustmentKey },
              now,
            ),
          answer: (result) => ({
            memberId: params.id,
            ledgerEntryId: result.entries.find((e) => e.kind === "adjust")?.entryId ?? adjustmentKey,
            points: body.points,
            spendable: spendableBalance(result.state),
            actor: principal.actor,
          }),
        });
        // A retry gets the first answer, whoever retries it and however long after.
        return change.answer;
      },
    }),
  ];
}
