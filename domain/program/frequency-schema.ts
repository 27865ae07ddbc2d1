import * as z from "zod";
import {
  displayNameSchema,
  instantSchema,
  namedRuleSchema,
  periodSchema,
  positiveWholeNumber,
  ruleIdSchema,
  slugSchema,
  wholeNumber,
} from "./common-schema";

export const punchCardSchema = namedRuleSchema("Display name, e.g. 'Coffee card'", {
  punchesRequired: positiveWholeNumber("punchesRequired")
    .max(100)
    .describe("Qualifying purchases per reward"),
  categories: z
    .array(slugSchema("category"))
    .min(1)
    .optional()
    .describe(
      "A purchase punches the card when it has a paid line in one of these; any purchase when absent",
    ),
  rewardId: slugSchema("reward id").describe("Catalogue reward unlocked when the card is full"),
}).describe("Every N qualifying purchases unlock a reward (one punch per purchase)");

export const streakSchema = namedRuleSchema("Display name, e.g. 'Three visits in a week'", {
  visits: z
    .int()
    .min(2, { error: "visits must be at least 2" })
    .max(30)
    .describe("Visits (days with a purchase) needed"),
  withinDays: positiveWholeNumber("withinDays").max(366).describe("Span in days the visits must fall within"),
  bonusPoints: positiveWholeNumber("bonusPoints").describe(
    "Bonus when the streak completes; it then restarts",
  ),
}).describe("Visit streak: k visits within d days earn a bonus");

export const milestoneSchema = namedRuleSchema("Display name, e.g. '10th purchase'", {
  metric: z
    .enum(["purchaseCount", "lifetimeSpend"])
    .describe("Lifetime purchases, or lifetime spend in minor units"),
  threshold: positiveWholeNumber("threshold").describe("Lifetime purchases or spend (minor units) to reach"),
  bonusPoints: wholeNumber("bonusPoints").default(0).describe("Bonus points when reached (once per member)"),
  rewardId: slugSchema("reward id").optional().describe("Catalogue reward unlocked when reached"),
}).describe("Lifetime milestone, reached once");

export const interactionRuleSchema = z
  .strictObject({
    ruleId: ruleIdSchema,
    kind: slugSchema("interaction kind").describe(
      "Interaction kind, e.g. review-written, complaint-resolved",
    ),
    points: positiveWholeNumber("points").describe("Points per interaction of this kind (spendable at once)"),
    caps: z
      .array(
        z.strictObject({
          period: periodSchema,
          maxCount: positiveWholeNumber("maxCount")
            .optional()
            .describe("Most rewarded interactions per period"),
          maxPoints: positiveWholeNumber("maxPoints").optional().describe("Most points per period"),
        }),
      )
      .default([])
      .describe("Per-period caps; every cap must hold"),
  })
  .describe("Points for a non-purchase interaction; kinds without a rule earn nothing");

export const rewardSchema = z
  .strictObject({
    rewardId: slugSchema("reward id"),
    name: displayNameSchema.describe("Display name shown to members"),
    pointsCost: wholeNumber("pointsCost").describe(
      "Points a redemption costs; unlocked (free) copies cost nothing",
    ),
    available: z.boolean().default(true).describe("Switch a reward off without deleting it"),
    availableFrom: instantSchema.optional().describe("First instant it can be redeemed"),
    availableUntil: instantSchema.optional().describe("Instant it can no longer be redeemed (exclusive)"),
    perMemberLimit: positiveWholeNumber("perMemberLimit")
      .optional()
      .describe("Most redemptions per member, ever"),
    fundedBy: slugSchema("fundedBy")
      .optional()
      .describe(
        "A partner id: the reward is the partner's, which is paid its redeem price for the points spent",
      ),
  })
  .describe("A catalogue reward");

export type PunchCard = z.infer<typeof punchCardSchema>;
export type Streak = z.infer<typeof streakSchema>;
export type Milestone = z.infer<typeof milestoneSchema>;
export type InteractionRule = z.infer<typeof interactionRuleSchema>;
export type Reward = z.infer<typeof rewardSchema>;
