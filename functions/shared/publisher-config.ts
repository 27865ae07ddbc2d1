import * as z from "zod";
import { localEndpoint } from "./config";

// The outbox publisher's configuration, in a module of its own for the same reason as consumer-config.ts.

export const publisherConfigSchema = z.object({
  EVENT_BUS_NAME: z.string().min(1, { error: "is required: the Patron event bus name" }),
  AWS_REGION: z.string().min(1).optional(),
  /** The local event bus; unset in AWS. */
  EVENTBRIDGE_ENDPOINT: localEndpoint("http://127.0.0.1:4010"),
});

export type PublisherConfig = z.output<typeof publisherConfigSchema>;
