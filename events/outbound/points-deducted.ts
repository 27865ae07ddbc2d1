import * as z from "zod";
import { defineEvent } from "../event-definition";
import { schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { ledgerEntryFields } from "./shared-fields";

// A manual debit is its own fact: Points Reversed promises the earning it reverses, which a marketer's
// deduction does not have. (Direction is in the detail-type, as for the other points events.)
// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const pointsDeductedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...ledgerEntryFields,
    })
    .strict(),
);

export type PointsDeducted = z.infer<typeof pointsDeductedSchema>;

export const pointsDeductedEvent = defineEvent({
  id: "pointsDeducted",
  detailType: "Points Deducted",
  version: "1",
  direction: "outbound",
  description:
    "A marketer took points away with a manual adjustment (the reason and actor are on the ledger entry).",
  source: PATRON_SOURCE,
  counterpart: "Analytics, CRM",
  schema: pointsDeductedSchema,
});
