import * as z from "zod";
import { defineEvent } from "../event-definition";
import { idSchema, occurredAtSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const rewardUnlockedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      rewardId: idSchema("reward id"),
      ruleId: idSchema("rule id"),
      expiresAt: occurredAtSchema.optional(),
    })
    .strict(),
);

export type RewardUnlocked = z.infer<typeof rewardUnlockedSchema>;

export const rewardUnlockedEvent = defineEvent({
  id: "rewardUnlocked",
  detailType: "Reward Unlocked",
  version: "1",
  direction: "outbound",
  description: "A frequency or milestone rule granted a member a reward.",
  source: PATRON_SOURCE,
  counterpart: "CRM, member notifications, POS",
  schema: rewardUnlockedSchema,
});
