import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { PATRON_SOURCE } from "../../../events/sources";
import { backoffDelay, sleep as wait } from "../../shared/backoff";

/** One outbound event from the outbox, with the stable id consumers deduplicate on. */
export interface OutboxEvent {
  /** `<PK>#<SK>#<index>`: the same on every redelivery of the stream record. */
  id: string;
  type: string;
  detail: unknown;
}

export interface PublishResult {
  published: number;
  /** Events still failing after the retries; the caller reports their records as failed. */
  failed: { event: OutboxEvent; errorCode: string }[];
}

export interface EventPublisherOptions {
  client: Pick<EventBridgeClient, "send">;
  eventBusName: string;
  /** Attempts for entries PutEvents reports as failed (FailedEntryCount), default 3. */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
}

/** PutEvents accepts at most 10 entries per request. */
export const MAX_ENTRIES_PER_REQUEST = 10;

/**
 * Publishes outbox events as source "patron", 10 per request. PutEvents is not all-or-nothing: the
 * entries it reports as failed (throttling, internal errors) are retried alone with backoff, so an
 * entry that succeeded is never sent twice by this call. Request-level errors (network, auth) throw.
 */
export function createEventPublisher(options: EventPublisherOptions) {
  const maxAttempts = options.maxAttempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? wait;
  // Capped so a throttled outbox batch never waits long inside its Lambda invocation.
  const backoff = {
    baseMs: baseDelayMs,
    capMs: baseDelayMs * 8,
    ...(options.random && { random: options.random }),
  };

  const toEntry = (event: OutboxEvent): PutEventsRequestEntry => ({
    EventBusName: options.eventBusName,
    Source: PATRON_SOURCE,
    DetailType: event.type,
    Detail: JSON.stringify(event.detail),
  });

  async function publishBatch(batch: OutboxEvent[]): Promise<PublishResult> {
    let pending = batch;
    let failed: PublishResult["failed"] = [];
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt += 1) {
      if (attempt > 1) await sleep(backoffDelay(attempt - 1, backoff));
      const response = await options.client.send(new PutEventsCommand({ Entries: pending.map(toEntry) }));
      const results = response.Entries ?? [];
      failed = pending.flatMap((event, i) => {
        const errorCode = results[i]?.ErrorCode;
        return errorCode || !results[i]?.EventId ? [{ event, errorCode: errorCode ?? "NoEventId" }] : [];
      });
      pending = failed.map((f) => f.event);
    }
    return { published: batch.length - failed.length, failed };
  }

  return {
    async publish(events: readonly OutboxEvent[]): Promise<PublishResult> {
      const total: PublishResult = { published: 0, failed: [] };
      for (let i = 0; i < events.length; i += MAX_ENTRIES_PER_REQUEST) {
        const result = await publishBatch(events.slice(i, i + MAX_ENTRIES_PER_REQUEST));
        total.published += result.published;
        total.failed.push(...result.failed);
      }
      return total;
    },
  };
}

export type EventPublisher = ReturnType<typeof createEventPublisher>;
