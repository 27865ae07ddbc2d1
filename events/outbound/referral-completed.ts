import * as z from "zod";
import { defineEvent } from "../event-definition";
import { idSchema, ledgerEntryIdSchema, memberIdSchema, ruleIdsSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const referralCompletedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      memberId: memberIdSchema.describe("The new member (the referee)"),
      referrerId: memberIdSchema.describe("The member whose referral code the referee enrolled with"),
      orderId: idSchema("order id", 128).describe("The referee's qualifying first purchase, kept"),
      ledgerEntryId: ledgerEntryIdSchema("ledger entry id").describe("The referee's referral entry"),
      ruleIds: ruleIdsSchema,
    })
    .strict(),
);

export type ReferralCompleted = z.infer<typeof referralCompletedSchema>;

export const referralCompletedEvent = defineEvent({
  id: "referralCompleted",
  detailType: "Referral Completed",
  version: "1",
  direction: "outbound",
  description:
    "A referred member's first qualifying purchase cleared its pending period: the referee was rewarded, and " +
    "Patron's own consumer rewards the referrer (within the programme's limit). Natural key: memberId.",
  source: PATRON_SOURCE,
  counterpart: "Patron (referrer reward), CRM, analytics",
  schema: referralCompletedSchema,
});
