import * as z from "zod";
import { positiveWholeNumber, ruleIdSchema, slugSchema, wholeNumber } from "./common-schema";

/** What one side of a completed referral gets: points, or one copy of a catalogue reward. */
export const referralRewardSchema = z
  .union([
    z.strictObject({ points: positiveWholeNumber("points").describe("Points credited, spendable at once") }),
    z.strictObject({
      rewardId: slugSchema("reward id").describe("A catalogue reward unlocked once (used without points)"),
    }),
  ])
  .describe("Points or a catalogue reward");

export const referralsSchema = z
  .strictObject({
    ruleId: ruleIdSchema.describe("Rule id cited by referral ledger entries"),
    referrerReward: referralRewardSchema.describe("What the member who shared the code gets"),
    refereeReward: referralRewardSchema.describe("What the new member who enrolled with the code gets"),
    minSpendMinor: wholeNumber("minSpendMinor")
      .default(0)
      .describe("Least a purchase must total (minor units) to be the referee's qualifying first purchase"),
    limit: z
      .strictObject({
        rewards: positiveWholeNumber("rewards").describe("Most referrer rewards per period"),
        per: z.enum(["month", "quarter", "year"]).describe("Calendar period in UTC"),
      })
      .describe("Referrer rewards beyond this are not given (the ledger entry says why)"),
  })
  .optional()
  .describe(
    "Referrals: a member shares a code (GET /me/referral); a new member enrolling with it is linked, and once " +
      "their first qualifying purchase clears its pending period (not refunded) both are rewarded. Absent = off",
  );

export type Referrals = NonNullable<z.output<typeof referralsSchema>>;
export type ReferralReward = z.output<typeof referralRewardSchema>;
