// The offer catalogue and how incentives are sized; part of the retention configuration (`retention.offers`).
import * as z from "zod";
import { slugSchema } from "../program/common-schema";
import { triggerFamilySchema } from "../retention/trigger-family";

export const offerSchema = z
  .strictObject({
    id: slugSchema("offer id"),
    kind: z
      .enum(["percent-off", "amount-off", "bonus-points", "reward"])
      .describe(
        "percent-off the next order, a fixed amount off (minor units), bonus points, or a catalogue reward",
      ),
    value: z
      .int({ error: "value must be a whole number" })
      .min(1, { error: "value must be at least 1" })
      .describe(
        "Percent (1–90) for percent-off, minor units for amount-off, points for bonus-points, copies of the reward for reward",
      ),
    rewardId: slugSchema("reward id")
      .optional()
      .describe("For reward: the catalogue reward the code unlocks (used later without points)"),
    minSpendMinor: z
      .int({ error: "minSpendMinor must be a whole number of minor units" })
      .min(0, { error: "minSpendMinor must not be negative" })
      .default(0)
      .describe("The basket must reach this (minor units, before the offer) for the code to apply; 0 = none"),
    segments: z
      .array(z.string().min(1))
      .default([])
      .describe("Value segments (RFM names such as champions, lost, or unknown) it suits; empty = any"),
    categories: z
      .array(slugSchema("category"))
      .default([])
      .describe("Favourite categories it suits (the offer is valid in these); empty = any category"),
    triggers: z.array(triggerFamilySchema).default([]).describe("Triggers that may carry it; empty = any"),
    minWinBackStep: z
      .int()
      .min(1)
      .max(6)
      .optional()
      .describe("Only from this win-back step on (reserves the biggest offers for the last steps)"),
  })
  .refine((offer) => offer.kind !== "percent-off" || offer.value <= 90, {
    message: "a percent-off offer must be at most 90 percent",
    path: ["value"],
  })
  .refine((offer) => offer.kind !== "reward" || offer.rewardId !== undefined, {
    message: "a reward offer needs the rewardId of a catalogue reward",
    path: ["rewardId"],
  })
  .refine((offer) => offer.kind === "reward" || offer.rewardId === undefined, {
    message: "only a reward offer names a rewardId",
    path: ["rewardId"],
  })
  .describe("An incentive that may be attached to a retention e-mail");

export const offersConfigSchema = z
  .strictObject({
    catalogue: z
      .array(offerSchema)
      .default(
        [100, 250, 500, 1000].map((points) => ({
          id: `bonus-${points}`,
          kind: "bonus-points" as const,
          value: points,
          minSpendMinor: 0,
          segments: [],
          categories: [],
          triggers: [
            "at-risk-nudge" as const,
            "win-back" as const,
            "service-recovery" as const,
            "birthday" as const,
          ],
        })),
      )
      .refine((c) => new Set(c.map((o) => o.id)).size === c.length, {
        message: "offer ids must be unique",
      })
      .describe("Offers to choose from"),
    pointCostMinor: z
      .number()
      .min(0)
      .max(1000)
      .default(1)
      .describe("What one bonus point costs the retailer, in minor units"),
    clvSharePercent: z
      .number()
      .gt(0)
      .max(100)
      .default(5)
      .describe("Incentive budget as a share of the member's predicted lifetime value"),
    orderValueSharePercent: z
      .number()
      .gt(0)
      .max(100)
      .default(10)
      .describe("Budget as a share of the member's average order value when no CLV is known"),
    defaultOrderValueMinor: z
      .int()
      .min(1)
      .default(3000)
      .describe("Average order value assumed for members without purchases (minor units)"),
    escalationPercentPerStep: z
      .number()
      .min(0)
      .max(500)
      .default(50)
      .describe("Each win-back step after the first raises the budget by this percent of the base"),
    capMinor: z.int().min(0).default(2000).describe("No incentive may cost more than this (minor units)"),
    validityDays: z
      .int({ error: "validityDays must be a whole number of days" })
      .min(1, { error: "validityDays must be at least 1" })
      .max(366, { error: "validityDays must be at most 366" })
      .default(30)
      .describe(
        "Days an offer code may be used, counting the day it is sent (a held message: the day it goes out)",
      ),
    restoreOnFullRefund: z
      .boolean()
      .default(true)
      .describe("A refund of the whole order gives its offer codes back, while they are still valid"),
    grossMarginPercent: z
      .number()
      .min(0)
      .max(100)
      .default(30)
      .describe(
        "Share of revenue kept as margin: the campaign report's incremental margin per unit of incentive",
      ),
  })
  .prefault({})
  .describe("Personalised offers: chosen by value segment and favourite category, sized to value");

export type Offer = z.output<typeof offerSchema>;
