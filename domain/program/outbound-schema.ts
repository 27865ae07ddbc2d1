// Which of Patron's outbound events a programme publishes. Each published event is an EventBridge PutEvents
// entry, and the pipeline's stay on the ledger item until the outbox publisher sends them: publishing only what
// some consumer uses saves both (BENCHMARKS.md has the cost with and without them).
import * as z from "zod";

/** Every outbound detail-type (events/catalog.ts; a unit test keeps the two lists equal). */
export const OUTBOUND_EVENT_TYPES = [
  "Points Earned",
  "Points Reversed",
  "Points Redeemed",
  "Points Deducted",
  "Points Expired",
  "Tier Changed",
  "Reward Unlocked",
  "Member Lapsing",
  "Offer Sent",
  "Offer Redeemed",
  "Member Won Back",
  "Service Recovery Needed",
  "Members Merged",
  "Challenge Completed",
  "Referral Completed",
] as const;

export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export const outboundSchema = z
  .strictObject({
    publish: z
      .array(z.enum(OUTBOUND_EVENT_TYPES))
      .refine((types) => new Set(types).size === types.length, { message: "event types must be unique" })
      .optional()
      .describe(
        "Outbound event types to publish; absent = all. Publish only what someone consumes. Referral Completed " +
          "is always published (Patron rewards the referrer from it)",
      ),
  })
  .prefault({})
  .describe("Outbound events: which ones Patron publishes on the bus");

/** Published whatever `publish` says: Patron's own consumer of it rewards the referrer. */
const ALWAYS_PUBLISHED: readonly string[] = ["Referral Completed"];

/** Whether the programme publishes events of `type` (every type when it names none). */
export function publishes(
  program: { outbound: { publish?: readonly string[] | undefined } },
  type: string,
): boolean {
  return (
    program.outbound.publish === undefined ||
    program.outbound.publish.includes(type) ||
    ALWAYS_PUBLISHED.includes(type)
  );
}
