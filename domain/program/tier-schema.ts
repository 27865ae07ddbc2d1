import * as z from "zod";
import { positiveWholeNumber, ruleIdSchema, slugSchema, wholeNumber } from "./common-schema";

/**
 * Bounds what splits by tier: the nightly KPI snapshot, one DynamoDB item of at most 400 KB, holds 24 months of
 * NPS and CSAT per tier beside its per-store rows (test/unit/analytics/kpi-snapshot-size.test.ts).
 */
export const MAX_TIERS = 10;

export const tierSchema = z
  .strictObject({
    id: slugSchema("tier id"),
    name: z.string().min(1).max(40).describe("Display name, e.g. 'Gold'"),
    threshold: wholeNumber("threshold").describe(
      "Qualifying metric needed to reach and keep this tier (status points, or qualifying spend in minor " +
        "units). The first tier must be 0; thresholds must strictly increase",
    ),
    earnMultiplier: z
      .number()
      .min(1, { error: "earnMultiplier must be at least 1" })
      .max(10)
      .default(1)
      .describe("Factor on purchase points for members in this tier"),
    perks: z.array(z.string().min(1).max(120)).default([]).describe("Benefits shown to members of this tier"),
  })
  .describe("One status tier, airline style");

export const tierQualificationSchema = z
  .strictObject({
    ruleId: ruleIdSchema.describe("Rule id cited for tier changes and status points"),
    metric: z
      .enum(["statusPoints", "qualifyingSpend"])
      .describe("What qualifies: status points (separate from spendable points) or qualifying spend"),
    statusPointsPerUnit: z
      .number()
      .min(0)
      .max(1000)
      .default(1)
      .describe(
        "Status points per major currency unit paid, rounded like purchase points; promotions and tier " +
          "multipliers never apply (status reflects real spend)",
      ),
    window: z
      .discriminatedUnion("type", [
        z.strictObject({
          type: z.literal("rolling"),
          months: positiveWholeNumber("months")
            .max(36)
            .describe("Whole calendar months counted, including the current one"),
        }),
        z.strictObject({ type: z.literal("calendarYear") }),
      ])
      .describe(
        "Qualification window. rolling: reviewed every `months` after reaching the tier. calendarYear: reviewed " +
          "each 1 January (UTC) on the year just ended, so a tier reached in one year is kept through the next",
      ),
    gracePeriodDays: wholeNumber("gracePeriodDays")
      .max(366)
      .default(0)
      .describe("Days a member who misses the review keeps the tier to catch up before dropping one tier"),
  })
  .describe(
    "How tiers are earned and kept. Upgrades are immediate; downgrades happen only at review, one tier",
  );

export type Tier = z.infer<typeof tierSchema>;
export type TierQualification = z.infer<typeof tierQualificationSchema>;
