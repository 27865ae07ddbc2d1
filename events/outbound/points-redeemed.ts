import * as z from "zod";
import { defineEvent } from "../event-definition";
import { idSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { ledgerEntryFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const pointsRedeemedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...ledgerEntryFields,
      rewardId: idSchema("reward id").optional(),
      partnerId: idSchema("partner id")
        .optional()
        .describe("The partner funding the reward, which is paid its redeem price for the points spent"),
    })
    .strict(),
);

export type PointsRedeemed = z.infer<typeof pointsRedeemedSchema>;

export const pointsRedeemedEvent = defineEvent({
  id: "pointsRedeemed",
  detailType: "Points Redeemed",
  version: "1",
  direction: "outbound",
  description: "A member spent points on a reward.",
  source: PATRON_SOURCE,
  counterpart: "Analytics, CRM, POS (to apply the reward)",
  schema: pointsRedeemedSchema,
});
