import * as z from "zod";
import {
  displayNameSchema,
  instantSchema,
  positiveWholeNumber,
  ruleIdSchema,
  slugSchema,
  wholeNumber,
} from "./common-schema";

// Challenges: a goal over a member's events inside a window, rewarded once per member for ever
// (domain/challenges/challenge-progress.ts evaluates them on the event path, in the event's own commit).

export const LIFECYCLE_STAGES = ["new", "active", "at-risk", "lapsed", "won-back", "churned"] as const;

const windowSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("absolute"),
      startsAt: instantSchema.describe("First instant an event counts"),
      endsAt: instantSchema.describe("Events at or after this instant no longer count (the deadline)"),
    }),
    z.strictObject({
      kind: z.literal("rolling"),
      days: positiveWholeNumber("days")
        .max(366)
        .describe("Events count for this many days from the member's opt-in (needs optIn: true)"),
      optInFrom: instantSchema.optional().describe("First instant members may opt in; any time when absent"),
      optInUntil: instantSchema.optional().describe("Opt-ins at or after this instant are refused"),
    }),
  ])
  .describe("When events count: fixed dates, or N days after the member opts in");

const categoriesFilter = z
  .array(slugSchema("category"))
  .min(1)
  .optional()
  .describe("Only paid lines in these categories count; every category when absent");

const goalSchema = z
  .discriminatedUnion("metric", [
    z.strictObject({
      metric: z.literal("purchaseCount"),
      target: positiveWholeNumber("target").max(1000).describe("Qualifying purchases needed"),
      categories: categoriesFilter,
      minSpendMinor: wholeNumber("minSpendMinor")
        .default(0)
        .describe("A purchase qualifies when its counted lines paid at least this (minor units)"),
    }),
    z.strictObject({
      metric: z.literal("spend"),
      target: positiveWholeNumber("target").describe("Spend needed, in minor units (paid, after discounts)"),
      categories: categoriesFilter,
    }),
    z.strictObject({
      metric: z.literal("distinctCategories"),
      target: positiveWholeNumber("target").max(64).describe("Different categories bought"),
      categories: categoriesFilter,
    }),
    z.strictObject({
      metric: z.literal("interactionCount"),
      target: positiveWholeNumber("target").max(1000).describe("Interactions of the kind needed"),
      kind: slugSchema("interaction kind").describe("Interaction kind that counts, e.g. profile-completed"),
    }),
  ])
  .describe("What the member must do inside the window");

const rewardSchema = z
  .strictObject({
    points: wholeNumber("points").default(0).describe("Points on completion (spendable at once)"),
    rewardId: slugSchema("reward id").optional().describe("Catalogue reward unlocked on completion"),
    badge: z
      .strictObject({
        badgeId: slugSchema("badge id"),
        name: displayNameSchema.describe("Badge name shown to members"),
      })
      .optional()
      .describe("Permanent badge awarded on completion"),
  })
  .describe("What completing gives: points, a catalogue reward and/or a badge (at least one)");

const audienceSchema = z
  .strictObject({
    tiers: z.array(slugSchema("tier id")).min(1).optional().describe("Members in one of these tiers"),
    segments: z
      .array(z.string().min(1).max(64))
      .min(1)
      .optional()
      .describe("Members whose RFM segment (GET /me scores) is one of these, e.g. champions"),
    lifecycleStages: z
      .array(z.enum(LIFECYCLE_STAGES))
      .min(1)
      .optional()
      .describe("Members in one of these lifecycle stages"),
  })
  .prefault({})
  .describe(
    "Who may take part (every condition given must hold), checked when the member joins: at opt-in, or at " +
      "the first counting event when no opt-in is needed",
  );

export const challengeSchema = z
  .strictObject({
    challengeId: ruleIdSchema.describe(
      "Stable id, cited by the completion's ledger entry; never reuse one (completion is once per id)",
    ),
    name: displayNameSchema.describe("Display name, e.g. 'Three visits in March'"),
    window: windowSchema,
    optIn: z
      .boolean()
      .default(false)
      .describe(
        "Members must opt in first (interaction challenge-opt-in or POST /me/challenges/{id}/opt-in)",
      ),
    goal: goalSchema,
    reward: rewardSchema,
    audience: audienceSchema,
  })
  .describe("A goal over a member's events inside a window, rewarded once per member");

export type Challenge = z.infer<typeof challengeSchema>;
export type ChallengeGoal = Challenge["goal"];
