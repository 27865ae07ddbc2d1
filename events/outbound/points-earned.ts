import * as z from "zod";
import { defineEvent } from "../event-definition";
import { occurredAtSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { ledgerEntryFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const pointsEarnedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...ledgerEntryFields,
      expiresAt: occurredAtSchema
        .optional()
        .describe("When these points expire, if the program expires points"),
    })
    .strict(),
);

export type PointsEarned = z.infer<typeof pointsEarnedSchema>;

export const pointsEarnedEvent = defineEvent({
  id: "pointsEarned",
  detailType: "Points Earned",
  version: "1",
  direction: "outbound",
  description: "Points were credited to a member for a purchase or interaction.",
  source: PATRON_SOURCE,
  counterpart: "Analytics, CRM, member notifications",
  schema: pointsEarnedSchema,
});
