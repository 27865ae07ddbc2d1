import * as z from "zod";
import type { LedgerEntry } from "../../domain/ledger/ledger-entry";
import { favouriteCategory } from "../../domain/member/queries";
import { emailSchema } from "../../events/primitives";
import { adjustmentIdOf, requestAdjustment } from "./adjustment-requests";
import { adjustmentAnswerSchema } from "./adjustment-schemas";
import {
  adjustmentRequestSchema,
  idempotencyHeaders,
  ledgerEntrySchema,
  memberIdParams,
  memberSummarySchema,
} from "./api-schemas";
import { auditEntry, audited, auditedByMember } from "./audit-trail";
import { NotFoundError } from "./http-errors";
import { type HttpApiDeps, programInEffectNow, readMember } from "./member-access";
import { ledgerEntryView, memberSummary } from "./member-views";
import { memberReferralSchema, referralStanding } from "./referral-routes";
import { defineRoute, type Route } from "./route";

// The marketer's 360° view of one member and manual points adjustments (the ledger entry records the actor,
// the reason and the request's idempotency key). Every read of a member's PII and every adjustment request is
// written to the audit trail (audit-trail.ts) before anything is returned.

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
  referral: memberReferralSchema.describe("Friends the member referred, and who referred them"),
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
      summary: "Members by e-mail address: exact match on the current address, ignoring case",
      description:
        "One Query of the e-mail index (eventually consistent: a change of address shows within about a second). At most 100 members.",
      access: "marketer",
      query: memberSearchQuery,
      response: { status: 200, description: "The matching members", schema: memberSearchSchema },
      // The address is personal data: it is never logged (the request log carries the path, not the query)
      // nor audited; the audit trail records who searched and which members the search found.
      handle: async ({ query, ...context }) => {
        const found = await deps.members.findMembersByEmail(query.email);
        const entries =
          found.length === 0
            ? [auditEntry(context, "member.search", {})]
            : found.map((memberId, n) => auditEntry(context, "member.search", { memberId }, n));
        await deps.audit.record(entries.map((entry) => ({ ...entry, outcome: "ok" })));
        return { members: found.map((memberId) => ({ memberId })) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/members/{id}",
      operationId: "getMember",
      summary: "360° view: profile, balance, tier, recent ledger, interactions, lifetime figures, referrals",
      access: "marketer",
      params: memberIdParams,
      response: { status: 200, description: "The member", schema: member360Schema },
      problems: [404, 503],
      handle: (input) =>
        auditedByMember(deps, { input, action: "member.read" }, () =>
          member360(deps, input.params.id, input.now),
        ),
    }),
    defineRoute({
      method: "POST",
      path: "/members/{id}/adjustments",
      operationId: "adjustPoints",
      summary: "Manual points change with a required reason; audited with the marketer's name",
      access: "marketer",
      params: memberIdParams,
      headers: idempotencyHeaders,
      body: adjustmentRequestSchema,
      response: {
        status: 201,
        description: "The adjustment, applied",
        schema: adjustmentAnswerSchema,
        otherStatuses: {
          202: "Over the program's approval threshold: stored as pending, nothing applied until a second marketer approves",
        },
      },
      rules:
        "An adjustment of more points than the program's controls.adjustments.approvalThreshold (either sign) waits for a second marketer; " +
        "each marketer may request at most controls.adjustments.dailyLimitPerMarketer points per UTC day (429 beyond it).",
      problems: [404, 409, 422, 429, 503],
      handle: async ({ params, headers, body, principal, ...context }) => {
        const input = { memberId: params.id, idempotencyKey: headers["idempotency-key"], ...body };
        const entry = auditEntry({ ...context, principal }, "adjustment.request", {
          memberId: params.id,
          adjustmentId: adjustmentIdOf(params.id, input.idempotencyKey),
        });
        // A retry gets the first answer, whoever retries it and however long after.
        return audited(
          deps,
          entry,
          () => requestAdjustment(deps, { ...input, principal, now: context.now }),
          (reply) => reply.body.status,
        );
      },
    }),
  ];
}

/** The 360° view; the caller has audited the read. */
async function member360(
  deps: HttpApiDeps,
  memberId: string,
  now: Date,
): Promise<z.input<typeof member360Schema>> {
  const program = await programInEffectNow(deps, now);
  const [{ state, snapshot }, profile, ledger, messages] = await Promise.all([
    readMember(deps, memberId, program, now),
    deps.members.getProfile(memberId),
    deps.members.queryLedger<LedgerEntry>(memberId, { limit: RECENT_LEDGER }),
    deps.messages.listMessages(memberId, RECENT_MESSAGES),
  ]);
  if (!snapshot && !profile) throw new NotFoundError(`No member ${memberId}`);
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
    referral: referralStanding(state, program, now),
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
}
