import * as z from "zod";
import { defineEvent } from "../event-definition";
import { schemaVersion } from "../primitives";
import { PATRON_SOURCE } from "../sources";
import { traceFields } from "./shared-fields";

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const serviceRecoveryNeededSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      ...traceFields,
      // The producer's complaintId attribute (any attribute string) or the interaction id.
      caseId: z
        .string()
        .min(1)
        .max(256)
        .describe(
          "Send it back as the `complaintId` attribute of the `complaint-resolved` interaction that closes the case",
        ),
      caseReason: z.enum(["nps-detractor", "csat-detractor", "complaint"]),
      npsScore: z.int().min(0).max(10).optional(),
      csatScore: z.int().min(1).max(5).optional(),
    })
    .strict(),
);

export type ServiceRecoveryNeeded = z.infer<typeof serviceRecoveryNeededSchema>;

export const serviceRecoveryNeededEvent = defineEvent({
  id: "serviceRecoveryNeeded",
  detailType: "Service Recovery Needed",
  version: "1",
  direction: "outbound",
  description:
    "A detractor survey answer or a complaint opened a service case; the member is sent an apology and the configured gesture. The survey comment is not in the event: it is in the member's history.",
  source: PATRON_SOURCE,
  counterpart: "Retailer's service desk",
  schema: serviceRecoveryNeededSchema,
});
