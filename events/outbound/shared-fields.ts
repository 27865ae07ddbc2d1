import * as z from "zod";
import {
  ledgerEntryIdSchema,
  memberIdSchema,
  occurredAtSchema,
  pointsSchema,
  programVersionSchema,
  reasonSchema,
  ruleIdsSchema,
} from "../primitives";

/** Business key of the event that caused this one, e.g. "purchase:retail.pos.store-042:O-1001". */
export const sourceKeySchema = z.string().min(1).max(512).describe("Idempotency key of the causing event");

export const slugSchema = (what: string) =>
  z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, `${what} must be a lowercase slug, e.g. "win-back"`);

/** Fields every outbound event carries so a consumer can explain and trace it. */
export const traceFields = {
  memberId: memberIdSchema,
  sourceKey: sourceKeySchema,
  reason: reasonSchema,
  programVersion: programVersionSchema,
  occurredAt: occurredAtSchema,
};

/** Fields of the points events: one ledger entry each. */
export const ledgerEntryFields = {
  ...traceFields,
  ledgerEntryId: ledgerEntryIdSchema("ledger entry id"),
  points: pointsSchema.positive({
    error: "points must be a positive whole number; direction is in the detail-type",
  }),
  balance: pointsSchema.describe(
    "Member's points balance after this entry; may be negative after a reversal",
  ),
  ruleIds: ruleIdsSchema,
  partners: z
    .array(
      z
        .object({
          partnerId: z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "partner id must be a lowercase slug, as in the program"),
          points: pointsSchema.describe("Signed change of the partner's outstanding points"),
        })
        .strict(),
    )
    .min(1)
    .max(20)
    .optional()
    .describe(
      "Coalition partners whose points this entry moved: a purchase with a partner adds to it; a redemption, " +
        "expiry or refund takes from the partners whose points it used (absent: only the retailer's points)",
    ),
};
