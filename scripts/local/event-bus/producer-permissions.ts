import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { matchesSourcePattern } from "../../../domain/member/refund-origin";
import type { Producer } from "../../../infra/config";
import type { RejectedEntry } from "./put-events-request";

/** What a producer role's IAM conditions allow (infra/producer-access.ts). */
export type ProducerGrant = Pick<Producer, "name" | "sources" | "detailTypes">;

/**
 * The per-entry answer EventBridge gives a caller whose `events:source` or `events:detail-type`
 * condition fails; undefined when the producer may put the entry.
 */
export function producerDenial(
  producer: ProducerGrant,
  entry: PutEventsRequestEntry,
): RejectedEntry | undefined {
  const source = entry.Source ?? "";
  if (!producer.sources.some((pattern) => matchesSourcePattern(pattern, source))) {
    return {
      ok: false,
      result: {
        ErrorCode: "NotAuthorizedForSourceException",
        ErrorMessage: "Not authorized for the source.",
      },
    };
  }
  if (!producer.detailTypes.includes(entry.DetailType ?? "")) {
    return {
      ok: false,
      result: {
        ErrorCode: "NotAuthorizedForDetailTypeException",
        ErrorMessage: "Not authorized for the detail type.",
      },
    };
  }
  return undefined;
}
