import * as z from "zod";
import { retentionConfigSchema } from "../retention/retention-config";
import { brandingSchema } from "./branding-schema";
import { challengeSchema } from "./challenge-schema";
import { displayNameSchema, positiveWholeNumber, ruleIdSchema, slugSchema } from "./common-schema";
import { controlsSchema } from "./controls-schema";
import { earningSchema } from "./earning-schema";
import {
  interactionRuleSchema,
  milestoneSchema,
  punchCardSchema,
  rewardSchema,
  streakSchema,
} from "./frequency-schema";
import { outboundSchema } from "./outbound-schema";
import { MAX_PARTNERS, partnerSchema } from "./partner-schema";
import { findProgramInconsistencies } from "./program-consistency";
import { referralsSchema } from "./referral-schema";
import { MAX_TIERS, tierQualificationSchema, tierSchema } from "./tier-schema";
import { timePolicySchema } from "./time-policy-schema";

const programShape = z.strictObject({
  id: slugSchema("program id"),
  version: positiveWholeNumber("version").describe(
    "Increases with every published change; cited by ledger entries",
  ),
  name: displayNameSchema.describe("Program name shown to members"),
  effectiveFrom: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 date-time with a UTC offset" })
    .describe("Events at or after this instant use this version (until a later version takes effect)"),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
    .describe("Currency purchases are made in; base points are per major unit of it"),
  categories: z
    .array(slugSchema("category"))
    .min(1)
    .describe("Every product category the rules may name; multipliers and cards may only use these"),
  membership: z
    .strictObject({
      unknownMemberPolicy: z
        .enum(["auto-enrol", "reject"])
        .describe("What an event for a member who is not enrolled does: enrol them, or be rejected"),
    })
    .describe("Membership settings"),
  earning: earningSchema,
  tierQualification: tierQualificationSchema,
  tiers: z.array(tierSchema).min(1).max(MAX_TIERS).describe("Tiers from lowest to highest"),
  punchCards: z.array(punchCardSchema).default([]).describe("Punch cards"),
  streaks: z.array(streakSchema).default([]).describe("Visit streaks"),
  milestones: z.array(milestoneSchema).default([]).describe("Lifetime milestones"),
  interactions: z
    .array(interactionRuleSchema)
    .default([])
    .describe("Points for interactions, one rule per kind"),
  expiry: z
    .strictObject({
      ruleId: ruleIdSchema.describe("Rule id cited by expiry entries"),
      validityMonths: positiveWholeNumber("validityMonths")
        .max(120)
        .describe("Points expire this many calendar months after the day they were earned (UTC)"),
    })
    .describe("Points expiry; redemptions use the soonest-expiring points first"),
  refunds: z
    .strictObject({
      ruleId: ruleIdSchema.describe("Rule id cited by reversal entries"),
      whenPointsSpent: z
        .enum(["allow-negative", "claw-back"])
        .describe(
          "When reversed points were already spent: allow-negative lets the balance go below zero (repaid from " +
            "future points); claw-back takes what is left and records the shortfall on the reversal entry",
        ),
    })
    .describe("Refund handling: points on refunded lines are reversed in proportion"),
  rewards: z.array(rewardSchema).default([]).describe("Rewards catalogue"),
  challenges: z
    .array(challengeSchema)
    .max(50)
    .default([])
    .describe("Challenges: a goal inside a window, rewarded once per member"),
  partners: z
    .array(partnerSchema)
    .max(MAX_PARTNERS)
    .default([])
    .describe("Coalition partners: brands whose purchases earn, and whose rewards burn, the same points"),
  retention: retentionConfigSchema.prefault({}),
  timePolicy: timePolicySchema.prefault({}),
  branding: brandingSchema.prefault({}),
  controls: controlsSchema.prefault({}),
  outbound: outboundSchema,
  referrals: referralsSchema,
});

/** The marketer-editable loyalty program. Field checks first, then cross-field consistency. */
export const programSchema = programShape
  .superRefine((program, ctx) => {
    for (const issue of findProgramInconsistencies(program)) {
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  })
  .describe("Patron loyalty program");

export type Program = z.output<typeof programShape>;
/** What a marketer writes: defaults may be omitted. */
export type ProgramInput = z.input<typeof programShape>;
