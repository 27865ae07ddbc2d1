import * as z from "zod";
import { defineEvent } from "../event-definition";
import { schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { ledgerEntryFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const pointsExpiredSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...ledgerEntryFields,
    })
    .strict(),
);

export type PointsExpired = z.infer<typeof pointsExpiredSchema>;

export const pointsExpiredEvent = defineEvent({
  id: "pointsExpired",
  detailType: "Points Expired",
  version: "1",
  direction: "outbound",
  description: "Unspent points reached their expiry date and were removed.",
  source: PATRON_SOURCE,
  counterpart: "Analytics, CRM, member notifications",
  schema: pointsExpiredSchema,
});
