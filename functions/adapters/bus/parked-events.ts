import { type AttributeValue, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { expiresAfter } from "../dynamo/item-expiry";
import { PARKED_EVENTS_PK, parkedEventsSk } from "../dynamo/keys";
import type { OutboxEvent } from "./event-publisher";

// Events a job published straight to the bus and PutEvents refused (or the call failed). Writing them to the
// table hands them to the transactional outbox: the stream's INSERT of the item makes the outbox publisher
// send them with its own retries and dead-letter queue, under the ids they already had.

const KEEP_DAYS = 14;

export interface EventParking {
  park(events: readonly OutboxEvent[], at: Date): Promise<void>;
}

/**
 * The outbox item carrying whole events; also written inside other transactions (a self-enrolment's
 * Member Enrolled commits with the identity link it comes with).
 */
export function parkedEventsItem(
  events: readonly [OutboxEvent, ...OutboxEvent[]],
  at: Date,
): Record<string, AttributeValue> {
  return {
    PK: { S: PARKED_EVENTS_PK },
    SK: { S: parkedEventsSk(at.toISOString(), events[0].id) },
    events: { L: events.map((event) => ({ M: marshall(event, { removeUndefinedValues: true }) })) },
    expiresAt: expiresAfter(at.toISOString(), KEEP_DAYS),
  };
}

export function tableEventParking(options: { client: DynamoDBClient; tableName: string }): EventParking {
  return {
    async park(events, at) {
      const [first, ...rest] = events;
      if (!first) return;
      await options.client.send(
        new PutItemCommand({ TableName: options.tableName, Item: parkedEventsItem([first, ...rest], at) }),
      );
    },
  };
}
