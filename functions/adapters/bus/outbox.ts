import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { LEDGER_PREFIX, PARKED_EVENTS_PK, PARKED_EVENTS_PREFIX } from "../dynamo/keys";
import type { EventPublisher, OutboxEvent } from "./event-publisher";
import { type CarrierEntry, decodeOutbound, type StoredOutbound } from "./outbox-codec";

// The transactional outbox: a committed change stores its outbound events on its first ledger entry,
// so the stream's INSERT of that entry is the signal to publish them. Job events the bus refused are parked
// as whole events (parked-events.ts) and published the same way. Nothing else on the stream is published
// (STATE and PROFILE writes, rejected events), and record images are never logged: PROFILE and
// rejected-event images hold PII.

/**
 * The outbound events a stream record carries, each with its stable id: `<PK>#<SK>#<index>` for a ledger
 * entry's, the id it was first published under for a parked one.
 */
export function outboxEvents(record: DynamoDBRecord): OutboxEvent[] {
  if (record.eventName !== "INSERT") return [];
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  const pk = image?.PK?.S;
  const sk = image?.SK?.S;
  if (image?.events && pk === PARKED_EVENTS_PK && sk?.startsWith(PARKED_EVENTS_PREFIX))
    return (unmarshall({ events: image.events }) as { events: OutboxEvent[] }).events;
  if (!image?.outbound || pk === undefined || sk === undefined || !sk.startsWith(LEDGER_PREFIX)) return [];
  const { outbound, entry } = unmarshall({ outbound: image.outbound, entry: image.entry ?? { M: {} } }) as {
    outbound: StoredOutbound[];
    entry: CarrierEntry;
  };
  return outbound.map((stored, index) => ({ id: `${pk}#${sk}#${index}`, ...decodeOutbound(stored, entry) }));
}

/**
 * Publishes a batch of stream records and reports the records whose events could not all be
 * published. Lambda then retries from the first failed record (bisecting on repeated failure), so an
 * event can be published twice only when its record is retried after a partial failure — consumers
 * deduplicate on the event's natural key (see README "Outbound events").
 */
export async function publishOutbox(
  records: readonly DynamoDBRecord[],
  publisher: EventPublisher,
): Promise<DynamoDBBatchResponse & { published: number }> {
  const byRecord = records.map((record) => ({ record, events: outboxEvents(record) }));
  const result = await publisher.publish(byRecord.flatMap((r) => r.events));
  const failedIds = new Set(result.failed.map((f) => f.event.id));
  const failedRecords = byRecord.filter((r) => r.events.some((event) => failedIds.has(event.id)));
  return {
    published: result.published,
    batchItemFailures: failedRecords.map((r) => ({
      itemIdentifier: r.record.dynamodb?.SequenceNumber ?? "",
    })),
  };
}
