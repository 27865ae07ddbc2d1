import * as z from "zod";
import {
  channelSchema,
  instantSchema,
  namedRuleSchema,
  positiveWholeNumber,
  ruleIdSchema,
  slugSchema,
  wholeNumber,
} from "./common-schema";

const multiplierSchema = z
  .number()
  .min(0, { error: "multiplier must not be negative" })
  .max(100, { error: "multiplier must be at most 100" });

export const categoryMultiplierSchema = z
  .strictObject({
    ruleId: ruleIdSchema,
    category: slugSchema("category").describe("A category from the program's category list"),
    multiplier: multiplierSchema.describe("Factor on base points for lines in this category; 0 excludes it"),
  })
  .describe("Earn more (or nothing) on a product category");

export const skuMultiplierSchema = z
  .strictObject({
    ruleId: ruleIdSchema,
    sku: z.string().min(1).max(128).describe("Stock-keeping unit as sent by the POS / web shop"),
    multiplier: multiplierSchema.describe(
      "Factor on base points for this SKU; overrides its category multiplier",
    ),
  })
  .describe("Earn more (or nothing) on one product");

export const promotionSchema = namedRuleSchema(
  "Shown to members in the points reason, e.g. 'Double Weekend'",
  {
    startsAt: instantSchema.describe("First instant the promotion applies (inclusive)"),
    endsAt: instantSchema.describe(
      "Instant the promotion stops applying (exclusive); must be after startsAt",
    ),
    multiplier: z
      .number()
      .gt(1, { error: "a promotion multiplier must be greater than 1" })
      .max(20, { error: "multiplier must be at most 20" })
      .describe("Factor on points of matching lines; promotions do not stack, the highest one applies"),
    channels: z
      .array(channelSchema)
      .min(1)
      .optional()
      .describe("Channels the promotion applies to; all channels when absent"),
    categories: z
      .array(slugSchema("category"))
      .min(1)
      .optional()
      .describe("Categories the promotion applies to; all categories when absent"),
  },
).describe("Time-boxed multiplier, e.g. double points on a weekend");

export const firstPurchaseBonusSchema = z
  .strictObject({
    ruleId: ruleIdSchema,
    points: positiveWholeNumber("points").describe("Bonus points for a member's first purchase"),
    minSpendMinor: wholeNumber("minSpendMinor")
      .default(0)
      .describe("Minimum amount paid, in minor units, for the first purchase to earn the bonus"),
  })
  .describe("One-off bonus on a member's first purchase; reversed if that purchase is fully refunded");

export const earningSchema = z
  .strictObject({
    baseRuleId: ruleIdSchema.describe("Rule id cited for base points on purchases"),
    basePointsPerUnit: z
      .number()
      .positive({ error: "basePointsPerUnit must be greater than 0" })
      .max(1000)
      .describe("Points per major currency unit paid (e.g. 1 point per EUR 1), before multipliers"),
    rounding: z
      .enum(["floor", "round-half-up", "ceil"])
      .default("floor")
      .describe("How fractional points become whole points: floor (default), round-half-up or ceil"),
    roundingScope: z
      .enum(["order", "line"])
      .default("order")
      .describe(
        "Round once on the order total (default; fairer on many cheap lines) or on each line. With 'order' the " +
          "rounded total is spread over lines by largest remainder so each line still has whole points to reverse",
      ),
    categoryMultipliers: z.array(categoryMultiplierSchema).default([]).describe("Per-category multipliers"),
    skuMultipliers: z
      .array(skuMultiplierSchema)
      .default([])
      .describe("Per-SKU multipliers (win over category)"),
    promotions: z.array(promotionSchema).default([]).describe("Time-boxed promotions"),
    firstPurchaseBonus: firstPurchaseBonusSchema.optional(),
    pendingDays: wholeNumber("pendingDays")
      .max(365)
      .describe(
        "Return window: purchase points stay pending for this many whole days (UTC) before they can be spent; 0 = at once",
      ),
  })
  .describe("How purchases earn points");

export type EarningRules = z.infer<typeof earningSchema>;
export type Promotion = z.infer<typeof promotionSchema>;
