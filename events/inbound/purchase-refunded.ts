import * as z from "zod";
import { defineEvent } from "../event-definition";
import {
  currencySchema,
  idSchema,
  memberIdSchema,
  minorUnitsSchema,
  occurredAtSchema,
  quantitySchema,
  schemaVersion,
} from "../primitives";
import { PRODUCER_SOURCE_PREFIX, producerSourceSchema } from "../sources";

export const refundLineSchema = z.object({ sku: idSchema("sku"), quantity: quantitySchema }).strict();

/** A refund names either the returned lines (points follow those lines) or a plain amount — exactly one. */
// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const purchaseRefundedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      refundId: idSchema("refund id", 128),
      originalOrderId: idSchema("original order id", 128),
      originalOrderSource: producerSourceSchema
        .optional()
        .describe("Source of the original purchase when it differs (e.g. web order returned in store)"),
      memberId: memberIdSchema,
      occurredAt: occurredAtSchema,
      currency: currencySchema,
      lines: z
        .array(refundLineSchema)
        .min(1, { error: "lines, when given, needs at least one line" })
        .max(500)
        .optional()
        .describe("Returned lines; exactly one of lines or amount"),
      amount: minorUnitsSchema
        .positive({ error: "must be a positive amount of minor units" })
        .optional()
        .describe(
          "Refunded amount in minor units when the refund is not per line; exactly one of lines or amount",
        ),
    })
    .strict()
    .superRefine((refund, ctx) => {
      if (refund.lines !== undefined && refund.amount !== undefined) {
        ctx.addIssue({ code: "custom", path: ["amount"], message: "give either lines or amount, not both" });
      } else if (refund.lines === undefined && refund.amount === undefined) {
        ctx.addIssue({ code: "custom", path: ["lines"], message: "either lines or amount is required" });
      }
    }),
);

export type PurchaseRefunded = z.infer<typeof purchaseRefundedSchema>;

export const purchaseRefundedEvent = defineEvent({
  id: "purchaseRefunded",
  detailType: "Purchase Refunded",
  version: "1",
  direction: "inbound",
  description: "All or part of an earlier purchase was refunded; earned points are reversed accordingly.",
  source: `${PRODUCER_SOURCE_PREFIX}*`,
  counterpart: "POS systems, web shops, apps",
  schema: purchaseRefundedSchema,
  idempotencyKeyDescription: "source + refundId",
  idempotencyKey: (detail, source) => `refund:${source}:${detail.refundId}`,
});
