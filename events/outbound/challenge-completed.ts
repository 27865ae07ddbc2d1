import * as z from "zod";
import { defineEvent } from "../event-definition";
import { idSchema, ledgerEntryIdSchema, pointsSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const challengeCompletedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      challengeId: idSchema("challenge id"),
      ledgerEntryId: ledgerEntryIdSchema("ledger entry id").describe(
        "The completion's ledger entry: challenge:<challengeId>:<memberId>, once per member for ever",
      ),
      points: pointsSchema
        .min(0)
        .describe("Points the completion gave (0 when it gave a reward or badge only)"),
      rewardId: idSchema("reward id").optional().describe("Catalogue reward unlocked (Reward Unlocked too)"),
      badgeId: idSchema("badge id").optional().describe("Permanent badge awarded"),
    })
    .strict(),
);

export type ChallengeCompleted = z.infer<typeof challengeCompletedSchema>;

export const challengeCompletedEvent = defineEvent({
  id: "challengeCompleted",
  detailType: "Challenge Completed",
  version: "1",
  direction: "outbound",
  description:
    "A member completed a challenge (once per member and challenge): its reward, and the badge it awarded if any.",
  source: PATRON_SOURCE,
  counterpart: "CRM, member notifications",
  schema: challengeCompletedSchema,
});
