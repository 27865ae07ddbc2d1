import * as z from "zod";
import { defineEvent } from "../event-definition";
import {
  channelSchema,
  currencySchema,
  idSchema,
  memberIdSchema,
  minorUnitsSchema,
  occurredAtSchema,
  quantitySchema,
  schemaVersion,
} from "../primitives";
import { PRODUCER_SOURCE_PREFIX } from "../sources";

export const purchaseLineSchema = z
  .object({
    sku: idSchema("sku"),
    category: idSchema("category"),
    quantity: quantitySchema.describe("Units sold; weighed goods are sent as quantity 1 at the line price"),
    unitPrice: minorUnitsSchema.describe("Price per unit as charged, tax included, in minor units"),
  })
  .strict();

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const purchaseCompletedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      orderId: idSchema("order id", 128),
      memberId: memberIdSchema,
      channel: channelSchema,
      storeId: idSchema("store id").describe("Physical store, or the web shop / app id for online orders"),
      occurredAt: occurredAtSchema,
      currency: currencySchema,
      lines: z.array(purchaseLineSchema).min(1, { error: "a purchase needs at least one line" }).max(500),
      discountTotal: minorUnitsSchema.describe("Order-level discounts (coupons, promotions) in minor units"),
      total: minorUnitsSchema.describe("Amount paid: sum of quantity x unitPrice minus discountTotal"),
      offerCodes: z
        .array(
          z
            .string()
            .min(1, { error: "an offer code must not be empty" })
            .max(32, { error: "an offer code must be at most 32 characters" }),
        )
        .max(5, { error: "at most 5 offer codes per order" })
        .optional()
        .describe(
          "Patron offer codes the member presented (case, spaces and hyphens ignored); any discount they gave is in discountTotal. Each is redeemed at most once; one that does not apply is recorded with its reason and the purchase earns as usual",
        ),
      paymentFingerprint: z
        .string()
        .min(8)
        .max(128)
        .optional()
        .describe(
          "Opaque, stable token of the payment method (e.g. the payment provider's card fingerprint), never card data. Patron keeps only a hash of it: a referred member's purchase paid like their referrer's does not qualify",
        ),
    })
    .strict()
    .superRefine(
      (purchase, ctx) => {
        const subtotal = purchase.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
        if (!Number.isSafeInteger(subtotal)) {
          ctx.addIssue({
            code: "custom",
            path: ["lines"],
            message: "sum of line amounts exceeds a safe integer",
          });
        } else if (purchase.discountTotal > subtotal) {
          ctx.addIssue({
            code: "custom",
            path: ["discountTotal"],
            message: "discountTotal exceeds the sum of quantity x unitPrice over lines",
          });
        } else if (purchase.total !== subtotal - purchase.discountTotal) {
          ctx.addIssue({
            code: "custom",
            path: ["total"],
            message: "total must equal the sum of quantity x unitPrice over lines minus discountTotal",
          });
        }
      },
      // Only cross-check amounts once every field is individually valid. Messages quote no amounts: the
      // parked event holds them, and messages reach logs.
      { when: (payload) => payload.issues.length === 0 },
    ),
);

export type PurchaseCompleted = z.infer<typeof purchaseCompletedSchema>;
export type PurchaseLine = z.infer<typeof purchaseLineSchema>;

export const purchaseCompletedEvent = defineEvent({
  id: "purchaseCompleted",
  detailType: "Purchase Completed",
  version: "1",
  direction: "inbound",
  description: "A member completed a purchase at a store, web shop or app.",
  source: `${PRODUCER_SOURCE_PREFIX}*`,
  counterpart: "POS systems, web shops, apps",
  schema: purchaseCompletedSchema,
  idempotencyKeyDescription: "source + orderId",
  // Order ids are only unique per producing system, hence the source.
  idempotencyKey: (detail, source) => `purchase:${source}:${detail.orderId}`,
});
