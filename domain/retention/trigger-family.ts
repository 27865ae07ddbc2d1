// The kinds of retention trigger a marketer configures; shared by the trigger, offer and holdout settings.
import * as z from "zod";

export const triggerFamilySchema = z
  .enum([
    "at-risk-nudge",
    "win-back",
    "points-expiring",
    "tier-downgrade-warning",
    "service-recovery",
    "birthday",
    "milestone",
  ])
  .describe("Kind of retention trigger (win-back covers every step of the journey)");

export type TriggerFamily = z.output<typeof triggerFamilySchema>;
