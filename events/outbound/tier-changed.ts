import * as z from "zod";
import { defineEvent } from "../event-definition";
import { idSchema, ruleIdsSchema, schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const tierChangedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      from: idSchema("tier id").nullable().describe("Previous tier, null on first assignment"),
      to: idSchema("tier id"),
      direction: z.enum(["up", "down"]),
      ruleIds: ruleIdsSchema,
    })
    .strict(),
);

export type TierChanged = z.infer<typeof tierChangedSchema>;

export const tierChangedEvent = defineEvent({
  id: "tierChanged",
  detailType: "Tier Changed",
  version: "1",
  direction: "outbound",
  description: "A member moved up or down a tier.",
  source: PATRON_SOURCE,
  counterpart: "CRM, member notifications, POS",
  schema: tierChangedSchema,
});
