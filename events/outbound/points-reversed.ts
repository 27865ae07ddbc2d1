import * as z from "zod";
import { defineEvent } from "../event-definition";
import { ledgerEntryIdSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { ledgerEntryFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const pointsReversedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...ledgerEntryFields,
      reversedEntryId: ledgerEntryIdSchema("reversed entry id").describe(
        "Ledger entry of the earning being reversed",
      ),
    })
    .strict(),
);

export type PointsReversed = z.infer<typeof pointsReversedSchema>;

export const pointsReversedEvent = defineEvent({
  id: "pointsReversed",
  detailType: "Points Reversed",
  version: "1",
  direction: "outbound",
  description: "Earned points were taken back because the purchase was refunded.",
  source: PATRON_SOURCE,
  counterpart: "Analytics, CRM",
  schema: pointsReversedSchema,
});
