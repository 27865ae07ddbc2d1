import * as z from "zod";

// Response shapes of a member's challenges and badges (domain/challenges/challenge-view.ts): part of GET /me,
// and the answer of POST /me/challenges/{challengeId}/opt-in.

export const challengeViewSchema = z
  .object({
    challengeId: z.string(),
    name: z.string(),
    status: z
      .enum(["available", "in-progress", "completed"])
      .describe("available: open to the member (opt in, or the first counting event joins them)"),
    optIn: z.boolean().describe("The member must opt in before events count"),
    metric: z.enum(["purchaseCount", "spend", "distinctCategories", "interactionCount"]),
    target: z.int().describe("Goal: purchases, spend in minor units, categories or interactions"),
    progress: z.int(),
    remaining: z.int(),
    deadline: z.string().optional().describe("Events at or after this instant no longer count"),
    days: z.int().optional().describe("A rolling challenge not yet joined: days it runs from the opt-in"),
    reward: z.object({
      points: z.int(),
      rewardId: z.string().optional(),
      badge: z.object({ badgeId: z.string(), name: z.string() }).optional(),
    }),
    summary: z.string().describe("The progress in words, for members"),
  })
  .describe("A challenge as it stands for the member");

export const badgeViewSchema = z
  .object({
    badgeId: z.string(),
    name: z.string(),
    awardedOn: z.string().describe("Day (UTC) the badge was awarded"),
  })
  .describe("A permanent badge");

export const challengeIdParamsSchema = z.object({
  challengeId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a challenge id (lowercase slug)")
    .describe("The challenge to opt in to"),
});

export const challengeOptInSchema = z
  .object({
    challengeId: z.string(),
    startsAt: z.string().describe("First instant events count for the member"),
    deadline: z.string().describe("Events at or after this instant no longer count"),
    ledgerEntryId: z.string().describe("The opt-in's ledger entry (0 points)"),
  })
  .describe("The member's opt-in");
