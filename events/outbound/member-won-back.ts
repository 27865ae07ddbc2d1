import * as z from "zod";
import { defineEvent } from "../event-definition";
import { idSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { slugSchema, traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const memberWonBackSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      trigger: slugSchema("trigger"),
      offerId: idSchema("offer id").optional(),
      messageId: z.string().min(1).max(256).optional(),
      daysToConvert: z.int().nonnegative().describe("Days between the offer being sent and the purchase"),
    })
    .strict(),
);

export type MemberWonBack = z.infer<typeof memberWonBackSchema>;

export const memberWonBackEvent = defineEvent({
  id: "memberWonBack",
  detailType: "Member Won Back",
  version: "1",
  direction: "outbound",
  description: "A lapsing member bought again after being sent an offer.",
  source: PATRON_SOURCE,
  counterpart: "Analytics, CRM",
  schema: memberWonBackSchema,
});
