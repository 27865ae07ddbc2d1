import { randomUUID } from "node:crypto";
import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  paginateQuery,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { boundFieldErrors, type FieldError } from "../../../events/validation-errors";
import { expiresAfter } from "../dynamo/item-expiry";
import { rejectedPk, rejectedSk } from "../dynamo/keys";
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
      const event = boundedJson(rejected.event, PARKED_EVENT_MAX_BYTES);
      await options.client.send(
        new PutItemCommand({
          TableName: options.tableName,
          Item: {
            PK: { S: rejectedPk(rejected.receivedAt.slice(0, 10)) },
            SK: { S: rejectedSk(rejected.receivedAt, rejected.eventId ?? randomUUID()) },
            reason: { S: rejected.reason },
            ...(rejected.eventId && { eventId: { S: rejected.eventId } }),
            errors: { S: JSON.stringify(boundFieldErrors(rejected.errors)) },
            ...(rejected.detailType && { detailType: { S: rejected.detailType } }),
            ...(rejected.source && { source: { S: rejected.source } }),
            event: { S: event.json },
            eventBytes: { N: String(event.bytes) },
            eventSha256: { S: event.sha256 },
            eventTruncated: { BOOL: event.truncated },
            expiresAt: expiresAfter(rejected.receivedAt, RETENTION_DAYS),
          },
        }),
      );
    },
  };
}

/** What an operator may see of a parked event: everything but the event itself. */
export interface ParkedRejection extends Omit<RejectedEvent, "event"> {
  /** Size and SHA-256 of the whole event's JSON, and whether the stored copy was cut. */
  event?: { bytes: number; sha256: string; truncated: boolean };
}

export interface RejectedEventReader {
  /** One day's parked events, newest first; `after` is the `lastKey` of the previous page. */
  listDay(
    day: string,
    page: { limit: number; after?: string },
  ): Promise<{ items: ParkedRejection[]; lastKey?: string }>;
  /** How many events are parked for the day. */
  countDay(day: string): Promise<number>;
}

// Never the `event` attribute: the raw event may hold PII (e-mail, name, birthday), so it stays in the
// table for an operator with table access to fix and replay, and is not even read here.
const VIEW_ATTRIBUTES = [
  "SK",
  "reason",
  "errors",
  "eventId",
  "detailType",
  "source",
  "eventBytes",
  "eventSha256",
  "eventTruncated",
];

/** Reads the `REJECTED#<day>` partitions that tableRejectedEventSink writes. */
export function tableRejectedEventReader(options: {
  client: DynamoDBClient;
  tableName: string;
}): RejectedEventReader {
  return {
    async listDay(day, page) {
      const { Items = [], LastEvaluatedKey } = await options.client.send(
        new QueryCommand({
          TableName: options.tableName,
          KeyConditionExpression: "PK = :pk",
          ExpressionAttributeValues: { ":pk": { S: rejectedPk(day) } },
          ProjectionExpression: VIEW_ATTRIBUTES.map((_, i) => `#a${i}`).join(", "),
          ExpressionAttributeNames: Object.fromEntries(VIEW_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
          ScanIndexForward: false,
          Limit: page.limit,
          ...(page.after !== undefined && {
            ExclusiveStartKey: { PK: { S: rejectedPk(day) }, SK: { S: page.after } },
          }),
        }),
      );
      const lastKey = LastEvaluatedKey?.SK?.S;
      return { items: Items.map(toParkedRejection), ...(lastKey !== undefined && { lastKey }) };
    },
    async countDay(day) {
      let count = 0;
      const pages = paginateQuery(
        { client: options.client },
        {
          TableName: options.tableName,
          KeyConditionExpression: "PK = :pk",
          ExpressionAttributeValues: { ":pk": { S: rejectedPk(day) } },
          Select: "COUNT",
        },
      );
      for await (const result of pages) count += result.Count ?? 0;
      return count;
    },
  };
}

function toParkedRejection(item: Record<string, AttributeValue>): ParkedRejection {
  const sk = item.SK?.S ?? "";
  const text = (name: string) => item[name]?.S;
  const [eventId, detailType, source, sha256] = ["eventId", "detailType", "source", "eventSha256"].map(text);
  const bytes = item.eventBytes?.N;
  return {
    receivedAt: sk.slice(0, Math.max(0, sk.indexOf("#"))),
    reason: text("reason") ?? "",
    errors: parseErrors(text("errors")),
    ...(eventId !== undefined && { eventId }),
    ...(detailType !== undefined && { detailType }),
    ...(source !== undefined && { source }),
    ...(bytes !== undefined &&
      sha256 !== undefined && {
        event: { bytes: Number(bytes), sha256, truncated: item.eventTruncated?.BOOL ?? false },
      }),
  };
}

/** The stored field errors (bounded, value-free when written); anything else is shown as none. */
function parseErrors(json: string | undefined): FieldError[] {
  try {
    const parsed: unknown = JSON.parse(json ?? "[]");
    return Array.isArray(parsed)
      ? parsed
          .filter((e): e is FieldError => typeof e?.path === "string" && typeof e?.message === "string")
          .map(({ path, message }) => ({ path, message }))
      : [];
  } catch {
    return [];
  }
}
