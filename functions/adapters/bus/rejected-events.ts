import { randomUUID } from "node:crypto";
import { type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { boundFieldErrors, type FieldError } from "../../../events/validation-errors";
import { boundedJson } from "./bounded-json";

// Dead letters for events that can never be processed (invalid input): kept with the reason so an
// operator can inspect, fix and replay them. They are not retried: the handler succeeds after parking
// them, so the rest of the stream keeps flowing.

export interface RejectedEvent {
  receivedAt: string;
  /** Error code, e.g. INVALID_EVENT or INVALID_FACTS. */
  reason: string;
  errors: FieldError[];
  eventId?: string;
  detailType?: string;
  source?: string;
  /**
   * The event exactly as delivered; may hold PII, so it is stored, never logged. The table keeps at most
   * PARKED_EVENT_MAX_BYTES of its JSON, with the size and SHA-256 of the whole.
   */
  event: unknown;
}

export interface RejectedEventSink {
  put(rejected: RejectedEvent): Promise<void>;
}

/** Keeps rejected events in memory: tests and the local stack. */
export function memoryRejectedEventSink(): RejectedEventSink & { readonly items: RejectedEvent[] } {
  const items: RejectedEvent[] = [];
  return {
    items,
    async put(rejected) {
      items.push(rejected);
    },
  };
}

export const REJECTED_PK_PREFIX = "REJECTED#";
const RETENTION_DAYS = 14;

/**
 * JSON bytes of a parked event kept whole: above the largest event any inbound contract accepts (500
 * purchase lines, about 110 KB), so every valid-shaped event stays replayable, and far below DynamoDB's
 * 400 KB item limit, so oversized junk (EventBridge allows 256 KB) is parked cut, never refused.
 */
export const PARKED_EVENT_MAX_BYTES = 128 * 1024;

/**
 * Keeps rejected events in the Patron table under `REJECTED#<day>` for 14 days (TTL), one PutItem
 * each — every consumer can already write the table, and it is encrypted like the PROFILE items.
 * The outbox publisher ignores these items (they are not `LEDGER#` entries). An SQS queue would be the
 * more usual destination; swapping is one adapter behind `RejectedEventSink`.
 */
export function tableRejectedEventSink(options: {
  client: DynamoDBClient;
  tableName: string;
}): RejectedEventSink {
  return {
    async put(rejected) {
      const expiresAt = Math.floor(Date.parse(rejected.receivedAt) / 1000) + RETENTION_DAYS * 86_400;
      const event = boundedJson(rejected.event, PARKED_EVENT_MAX_BYTES);
      await options.client.send(
        new PutItemCommand({
          TableName: options.tableName,
          Item: {
            PK: { S: `${REJECTED_PK_PREFIX}${rejected.receivedAt.slice(0, 10)}` },
            SK: { S: `${rejected.receivedAt}#${rejected.eventId ?? randomUUID()}` },
            reason: { S: rejected.reason },
            errors: { S: JSON.stringify(boundFieldErrors(rejected.errors)) },
            ...(rejected.detailType && { detailType: { S: rejected.detailType } }),
            ...(rejected.source && { source: { S: rejected.source } }),
            event: { S: event.json },
            eventBytes: { N: String(event.bytes) },
            eventSha256: { S: event.sha256 },
            eventTruncated: { BOOL: event.truncated },
            expiresAt: { N: String(expiresAt) },
          },
        }),
      );
    },
  };
}
