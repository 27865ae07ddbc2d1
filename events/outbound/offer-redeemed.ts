import * as z from "zod";
import { defineEvent } from "../event-definition";
import { idSchema, minorUnitsSchema, pointsSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { slugSchema, traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const offerRedeemedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      offerId: idSchema("offer id"),
      trigger: slugSchema("trigger").describe(
        "Trigger kind of the message that carried the offer (its campaign)",
      ),
      messageKey: z
        .string()
        .min(1)
        .max(256)
        .describe("The message that carried the offer (Offer Sent's sourceKey)"),
      orderId: idSchema("order id", 128),
      discountMinor: minorUnitsSchema.describe(
        "Money off the order the offer gave, in minor units (0 for points)",
      ),
      points: pointsSchema.min(0).describe("Bonus points the offer gave (0 for a discount)"),
    })
    .strict(),
);

export type OfferRedeemed = z.infer<typeof offerRedeemedSchema>;

export const offerRedeemedEvent = defineEvent({
  id: "offerRedeemed",
  detailType: "Offer Redeemed",
  version: "1",
  direction: "outbound",
  description: "A member used an offer code on a purchase (the code itself is not in the event).",
  source: PATRON_SOURCE,
  counterpart: "Analytics, CRM",
  schema: offerRedeemedSchema,
});
