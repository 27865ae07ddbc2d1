import * as z from "zod";
import { defineEvent } from "../event-definition";
import { occurredAtSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const memberLapsingSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      stage: z.enum(["at-risk", "lapsing", "lapsed"]),
      expectedNextPurchaseAt: occurredAtSchema.describe("When the member was expected to buy again"),
      daysOverdue: z.int().nonnegative(),
    })
    .strict(),
);

export type MemberLapsing = z.infer<typeof memberLapsingSchema>;

export const memberLapsingEvent = defineEvent({
  id: "memberLapsing",
  detailType: "Member Lapsing",
  version: "1",
  direction: "outbound",
  description: "A member is overdue for their next purchase given their own purchase rhythm.",
  source: PATRON_SOURCE,
  counterpart: "Offer engine (win-back), CRM",
  schema: memberLapsingSchema,
});
