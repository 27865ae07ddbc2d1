import * as z from "zod";
import { REDEMPTION_REJECTIONS } from "../../domain/offers/offer-redemption";
import { consentSchema, idSchema, memberIdSchema, timeZoneSchema } from "../../events/primitives";
import { badgeViewSchema, challengeViewSchema } from "./challenge-schemas";
import { frequencyProgressSchema, toKeepSchema } from "./progress-schemas";

// Request and response shapes of the HTTP API. They are the contract: the router validates requests and
// responses with them and docs/openapi.json is generated from them.

const points = z.int().describe("Whole points");

export const memberIdParams = z.object({ id: memberIdSchema.describe("Member id") });

const ledgerOffersSchema = z
  .object({
    redeemed: z
      .array(
        z.object({
          code: z.string(),
          offerId: z.string(),
          discountMinor: z.int().describe("Money off the order, minor units"),
          points: points.describe("Bonus points it earned"),
          reward: z
            .object({ rewardId: z.string(), copies: z.int() })
            .optional()
            .describe("The catalogue reward it unlocked"),
        }),
      )
      .describe("Codes the order used, and what each gave"),
    rejected: z
      .array(
        z.object({
          code: z.string().describe("As presented (normalised; at most 32 characters)"),
          reason: z.enum(REDEMPTION_REJECTIONS),
        }),
      )
      .describe("Codes that did not apply, with why; the order earned as usual"),
  })
  .describe(
    "For a purchase that carried offer codes. Full codes: they are the member's own, and a marketer sees them in GET /members/{id}/offers too",
  );

export const ledgerEntrySchema = z
  .object({
    entryId: z.string(),
    kind: z.enum([
      "earn",
      "bonus",
      "reverse",
      "redeem",
      "expire",
      "adjust",
      "interaction",
      "migration",
      "merge",
      "grant",
      "referral",
    ]),
    points: points.describe("Change of the spendable balance"),
    pendingPoints: points.optional().describe("Change of pending (not yet spendable) points"),
    statusPoints: points.describe("Change of tier-qualifying status points"),
    reason: z.string().describe("Why the points changed, in words"),
    ruleIds: z.array(z.string()).describe("Program rules that caused the change"),
    programVersion: z.int(),
    occurredAt: z.string(),
    rewardId: z.string().optional().describe("For redemptions: the reward"),
    offers: ledgerOffersSchema.optional(),
  })
  .describe("One ledger line");

export const ledgerQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe("Entries per page (1-100)"),
  cursor: z.string().max(2048).optional().describe("`nextCursor` of the previous page"),
});

export const ledgerPageSchema = z.object({
  entries: z.array(ledgerEntrySchema).describe("Newest first"),
  nextCursor: z.string().optional().describe("Opaque; absent on the last page"),
});

export const tierViewSchema = z.object({
  tierId: z.string(),
  tierName: z.string(),
  since: z.string(),
  keepsUntil: z.string().describe("The tier is kept at least until this day (UTC)"),
  inGrace: z.boolean(),
  perks: z.array(z.string()),
  toKeep: toKeepSchema,
  nextTier: z
    .object({ tierId: z.string(), tierName: z.string(), threshold: z.int(), remaining: z.int() })
    .optional()
    .describe("Absent at the top tier"),
});

export const unlockedRewardSchema = z.object({ rewardId: z.string(), count: z.int() });

export const memberSummarySchema = z.object({
  memberId: z.string(),
  asOf: z.string(),
  programVersion: z.int(),
  points: z.object({
    spendable: points,
    pending: points.describe("Inside the return window; spendable later"),
    status: points.describe("Qualifying metric in the current window"),
  }),
  tier: tierViewSchema,
  expiring: z
    .object({ within30Days: points, within60Days: points, within90Days: points })
    .describe("Spendable points that expire within 30/60/90 days"),
  unlockedRewards: z.array(unlockedRewardSchema),
  frequency: frequencyProgressSchema,
  challenges: z
    .array(challengeViewSchema)
    .describe("Challenges completed, in progress and open to the member"),
  badges: z.array(badgeViewSchema).describe("Badges the member holds (permanent)"),
});

export const memberRewardSchema = z.object({
  rewardId: z.string(),
  name: z.string(),
  pointsCost: points,
  availableNow: z.boolean(),
  unlocked: z.int().describe("Free copies unlocked by punch cards or milestones"),
  redeemed: z.int(),
  remaining: z.int().optional().describe("Redemptions left under the per-member limit"),
  affordable: z.boolean().describe("Redeemable now with the current balance or an unlocked copy"),
});

export const memberRewardsSchema = z.object({
  spendable: points,
  rewards: z.array(memberRewardSchema),
  frequency: frequencyProgressSchema,
});

export const idempotencyHeaders = z.object({
  "idempotency-key": idSchema("Idempotency-Key", 64)
    .min(8, { error: "Idempotency-Key must be 8-64 characters of A-Z, a-z, 0-9, _ or -" })
    .describe("Client-chosen key; a retry with the same key returns the first result"),
});

export const redemptionRequestSchema = z.strictObject({ rewardId: z.string().min(1).max(64) });

export const redemptionSchema = z.object({
  redemptionId: z.string().describe("The Idempotency-Key"),
  rewardId: z.string(),
  voucherCode: z.string().describe("Unique code to hand over at the till or web shop"),
  pointsSpent: points,
  ledgerEntryId: z.string(),
  redeemedAt: z.string(),
  replayed: z.boolean().describe("True when this answers a retry of an earlier request"),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day HH:MM (24 h)");

export const preferencesSchema = z.strictObject({
  consent: consentSchema,
  timeZone: timeZoneSchema,
  quietHours: z
    .strictObject({ start: hhmm, end: hhmm })
    .nullable()
    .describe(
      "No marketing e-mail between start and end in the member's time zone, on top of the program's quiet hours; null for none",
    ),
});

// The unsubscribe link's routes take every token, so a broken link in a browser gets the error page, not a
// problem document; the handlers refuse what does not verify (tampered, foreign, over 2,048 characters, old).
const linkToken = z.string();

export const unsubscribeQuerySchema = z.object({
  token: linkToken
    .optional()
    .describe(
      "Signed token from the List-Unsubscribe URL (also the link in the e-mail's body); a form may send it in the body instead",
    ),
});

export const unsubscribeBodySchema = z.object({
  "List-Unsubscribe": z
    .literal("One-Click", { error: 'must be "One-Click" (RFC 8058)' })
    .optional()
    .describe(
      "RFC 8058 one-click from a mail client, answered with JSON; absent when a person presses the page's button, answered with a page",
    ),
  token: linkToken.optional().describe("The signed token, as the page's button sends it"),
});

export const resubscribeBodySchema = z.object({
  token: linkToken.optional().describe("The signed token, as the confirmation page's button sends it"),
});

export const pageHeadersSchema = z.object({
  "accept-language": z
    .string()
    .optional()
    .describe("The browser's languages; used when the member's own locale is unknown"),
});

/** An HTML page (text/html), for routes that answer a person's browser. */
export const htmlPageSchema = z.string();

export const unsubscribeResultSchema = z.object({ unsubscribed: z.literal(true), channel: z.string() });

/** GET /health, from the deployed API and from the local platform (which checks more parts). */
export const healthSchema = z.object({
  ok: z.boolean().describe("Every check passed; the status is 200 then, 503 otherwise"),
  clock: z.iso
    .datetime()
    .describe("The time the API works at (locally the platform's clock, which a replay may simulate)"),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});

// Constraints are written as zod checks that have a JSON Schema form (ranges, patterns), never as refinements,
// so docs/openapi.json states exactly what the server accepts.
const MAX_ADJUSTMENT = 1_000_000;
const ADJUSTMENT_POINTS = "points must be a whole number from -1000000 to 1000000, and not 0";

/** A marketer's reason for a points change (an adjustment, a grant): 3 to 300 characters, stored trimmed. */
export const reasonSchema = z
  .string()
  .max(300, { error: "reason must be at most 300 characters" })
  // At least 3 characters from the first non-space to the last, as the reason is stored trimmed.
  .regex(/\S[\s\S]+\S/, { error: "reason is required (at least 3 characters besides spaces)" })
  .trim();

export const adjustmentRequestSchema = z.strictObject({
  points: z
    .union([z.int().min(-MAX_ADJUSTMENT).max(-1), z.int().min(1).max(MAX_ADJUSTMENT)], {
      error: ADJUSTMENT_POINTS,
    })
    .describe("Signed change, not 0; a debit may not take the balance below zero"),
  reason: reasonSchema.describe("Why, for the audit trail; stored without leading and trailing spaces"),
});

export const adjustmentResultSchema = z.object({
  memberId: z.string(),
  ledgerEntryId: z.string(),
  points,
  spendable: points,
  actor: z.string(),
});
