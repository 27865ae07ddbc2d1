import * as z from "zod";
import { defineEvent } from "../event-definition";
import { idSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { slugSchema, traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const offerSentSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      messageId: z.string().min(1).max(256).describe("Mail provider message id"),
      trigger: slugSchema("trigger").describe("What prompted the offer, e.g. lapsing, win-back, birthday"),
      offerId: idSchema("offer id"),
      channel: z.literal("email"),
    })
    .strict(),
);

export type OfferSent = z.infer<typeof offerSentSchema>;

export const offerSentEvent = defineEvent({
  id: "offerSent",
  detailType: "Offer Sent",
  version: "1",
  direction: "outbound",
  description: "Patron e-mailed a member a personalised offer (no address or content in the event).",
  source: PATRON_SOURCE,
  counterpart: "Analytics, CRM",
  schema: offerSentSchema,
});
