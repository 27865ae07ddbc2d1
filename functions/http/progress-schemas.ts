import * as z from "zod";

// Response shapes of a member's progress: what keeps the tier (domain/tiers/tier-review.ts TierKeep) and how
// close each frequency reward is (domain/frequency/frequency-progress.ts). Part of GET /me and GET /me/rewards.

const day = z.string().describe("A calendar day, YYYY-MM-DD (UTC)");
const summary = z.string().describe("The progress in words, for members");
/** The frequency rule an item is the progress of. */
const rule = { ruleId: z.string(), name: z.string() };

export const toKeepSchema = z
  .object({
    metric: z.enum(["statusPoints", "qualifyingSpend"]),
    required: z.int().describe("What the review needs over countsFrom–countsUntil (spend in minor units)"),
    current: z
      .int()
      .describe(
        "What counts so far: only countsFrom–countsUntil, so often 0 right after an upgrade (whole months)",
      ),
    remaining: z.int().describe("Still needed by countsUntil"),
    countsFrom: day.describe("First day whose status points or spend count for the review"),
    countsUntil: day.describe("Last day that counts: the day before keepsUntil"),
    explanation: z.string().describe("The figures in words: which days count, what is needed by when"),
  })
  .describe("What keeps the tier at its next review, and what counts towards it");

const punchCardProgressSchema = z.object({
  ...rule,
  punches: z.int().describe("Qualifying purchases on the current card"),
  punchesRequired: z.int(),
  remaining: z.int(),
  categories: z.array(z.string()).optional().describe("Absent when any purchase punches the card"),
  rewardId: z.string().describe("Unlocked when the card is full"),
  rewardName: z.string().optional(),
  summary,
});

const streakProgressSchema = z.object({
  ...rule,
  visits: z.int().describe("Visit days (days with a purchase) still inside the span today"),
  visitsRequired: z.int(),
  withinDays: z.int(),
  bonusPoints: z.int(),
  completeBy: day.optional().describe("Last day the missing visits can come for these visits to count"),
  summary,
});

const milestoneProgressSchema = z.object({
  ...rule,
  metric: z.enum(["purchaseCount", "lifetimeSpend"]),
  threshold: z.int().describe("Purchases, or lifetime spend in minor units"),
  current: z.int(),
  remaining: z.int(),
  reached: z.boolean(),
  bonusPoints: z.int(),
  rewardId: z.string().optional(),
  rewardName: z.string().optional(),
  summary,
});

export const frequencyProgressSchema = z
  .object({
    punchCards: z.array(punchCardProgressSchema),
    streaks: z.array(streakProgressSchema),
    milestones: z.array(milestoneProgressSchema),
    nextMilestone: z
      .string()
      .optional()
      .describe("Rule id of the unreached milestone nearest to completion; absent when all are reached"),
  })
  .describe("How close each frequency reward is: punch cards, visit streaks, lifetime milestones");
