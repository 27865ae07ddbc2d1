import * as z from "zod";
import { defineEvent } from "../event-definition";
import { memberIdSchema, pointsSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const membersMergedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      absorbedId: memberIdSchema.describe(
        "The duplicate merged into memberId; events naming it now reach memberId, and it holds no points",
      ),
      points: pointsSchema.describe("Spendable points moved, net of any debt (may be negative)"),
      pendingPoints: pointsSchema.min(0).describe("Pending points moved, with their release days"),
      statusPoints: pointsSchema.min(0).describe("Tier-qualifying status points moved, month by month"),
      balance: pointsSchema.describe("memberId's spendable balance after the merge"),
    })
    .strict(),
);

export type MembersMerged = z.infer<typeof membersMergedSchema>;

export const membersMergedEvent = defineEvent({
  id: "membersMerged",
  detailType: "Members Merged",
  version: "1",
  direction: "outbound",
  description:
    "A marketer merged a duplicate customer (absorbedId) into the member kept (memberId): points, tier progress, offer codes and consent withdrawals moved.",
  source: PATRON_SOURCE,
  counterpart: "CRM, POS and web shop customer records, analytics",
  schema: membersMergedSchema,
});
