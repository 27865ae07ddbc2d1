import * as z from "zod";
import { positiveWholeNumber, wholeNumber } from "./common-schema";

export const timePolicySchema = z
  .strictObject({
    maxClockSkewSeconds: wholeNumber("maxClockSkewSeconds")
      .max(86_400)
      .default(300)
      .describe(
        "How far ahead of Patron's clock an event's occurredAt may be (producers' clocks drift); beyond it the " +
          "event is rejected as occurred-in-future (default 5 minutes)",
      ),
    lateArrivalDays: positiveWholeNumber("lateArrivalDays")
      .max(365)
      .optional()
      .describe(
        "Purchases and interactions whose occurredAt is more than this many days before they arrive are " +
          "rejected as arrived-too-late. Default: earning.pendingDays, at least 1. Refunds and profile events " +
          "are exempt",
      ),
  })
  .describe("Which event times are accepted: clock skew into the future, and how late an event may arrive");

export type TimePolicy = z.infer<typeof timePolicySchema>;
