import { findByDetailType } from "../../events/catalog";
import type { Envelope } from "../../events/envelope";
import { isProducerSource } from "../../events/sources";
import { boundFieldErrors, type FieldError } from "../../events/validation-errors";
import type { RejectedEventSink } from "../adapters/bus/rejected-events";
import { RejectedEventNotParked } from "./errors";
import type { Logger } from "./logger";

// How every consumer parks an event it will not process: bounded errors, ids fit for logs, and a sink
// failure turned into a retryable error that names the rejection, so nothing reaches a dead-letter queue
// without its reason.

export interface EventIds {
  eventId?: string;
  detailType?: string;
  source?: string;
}

/** Envelope fields that identify an event without revealing its detail, cut to EventBridge's sizes. */
export function identify(event: unknown): EventIds {
  const envelope = (typeof event === "object" && event !== null ? event : {}) as Partial<Envelope>;
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 256) : undefined);
  return {
    eventId: text(envelope.id),
    detailType: text(envelope["detail-type"]),
    source: text(envelope.source),
  };
}

const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The envelope with its detail cut to the member id and time: for an event whose detail must not be kept. */
export function withoutDetail(event: unknown): unknown {
  if (typeof event !== "object" || event === null) return event;
  const { detail, ...envelope } = event as { detail?: Record<string, unknown> };
  const kept = { memberId: detail?.memberId, occurredAt: detail?.occurredAt, withheld: "detail not kept" };
  return { ...envelope, detail: kept };
}

/**
 * The ids fit for a log line: an EventBridge-shaped id, a detail-type Patron knows and a source that follows
 * the producer convention. Anything else is whatever a producer typed (an e-mail address as detail-type)
 * and stays in the parked event.
 */
export function loggableIds(ids: EventIds): EventIds {
  const known = <T>(value: T | undefined, ok: (value: T) => boolean) =>
    value === undefined ? undefined : ok(value) ? value : "(withheld)";
  return {
    eventId: known(ids.eventId, (id) => EVENT_ID.test(id)),
    detailType: known(ids.detailType, (type) => findByDetailType(type) !== undefined),
    source: known(ids.source, isProducerSource),
  };
}

/**
 * Parks `event` with its reason and at most a few kilobytes of errors; returns the errors as parked.
 * Throws RejectedEventNotParked when the sink fails (retried like any transient failure).
 */
export async function parkRejected(
  deps: { logger: Logger; rejected: RejectedEventSink; clock: () => Date },
  rejection: { event: unknown; reason: string; errors: readonly FieldError[] },
): Promise<FieldError[]> {
  const errors = boundFieldErrors(rejection.errors);
  const ids = identify(rejection.event);
  try {
    await deps.rejected.put({
      receivedAt: deps.clock().toISOString(),
      reason: rejection.reason,
      errors,
      ...ids,
      event: rejection.event,
    });
  } catch (error) {
    const notParked = new RejectedEventNotParked(rejection.reason, error);
    deps.logger.error("rejected event could not be parked", {
      ...loggableIds(ids),
      code: rejection.reason,
      error: notParked.message,
    });
    throw notParked;
  }
  return errors;
}
