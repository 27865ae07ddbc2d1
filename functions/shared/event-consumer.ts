import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import { type InboundEventId, inboundEvents } from "../../events/catalog";
import { parseInbound } from "../../events/envelope";
import type { FieldError } from "../../events/validation-errors";
import type { RejectedEventSink } from "../adapters/bus/rejected-events";
import type { Inbound } from "../pipeline/inbound";
import type { PipelineDeps } from "../pipeline/ports";
import { classifyFailure, InvalidEvent } from "./errors";
import type { Logger } from "./logger";
import { type Metrics, MetricUnit, metricNames } from "./metrics";
import { identify, loggableIds, parkRejected, withoutDetail } from "./rejections";

export interface ConsumerDeps extends PipelineDeps {
  metrics: Metrics;
  rejected: RejectedEventSink;
}

export type ConsumerResult =
  | { status: "committed" | "duplicate" | "unchanged"; eventId: string }
  | { status: "rejected"; reason: string; errors: FieldError[] };

type ErrorPolicyDeps = { logger: Logger; metrics: Metrics; rejected: RejectedEventSink; clock: () => Date };

/**
 * Consumer error policy. A rejected event (invalid, or contradicting what Patron knows) is parked in the
 * dead-letter sink with its reason, logged with field paths and messages only — never values, at most a
 * few kilobytes — counted, and answered normally so it is not retried. Anything else, and a rejected event
 * the sink could not take, is thrown for the trigger's retry policy and its dead-letter queue.
 */
export async function settleFailure(
  deps: ErrorPolicyDeps,
  event: unknown,
  error: unknown,
): Promise<ConsumerResult> {
  const failure = classifyFailure(error);
  const ids = loggableIds(identify(event));
  if (failure.kind === "retryable") {
    deps.logger.warn("event failed, it will be retried", { ...ids, code: failure.code });
    deps.metrics.addMetric(metricNames.eventsRetried, MetricUnit.Count, 1);
    throw error;
  }
  const errors = await parkRejected(deps, {
    event: failure.withholdDetail ? withoutDetail(event) : event,
    reason: failure.code,
    errors: failure.errors,
  });
  deps.logger.warn("event rejected", { ...ids, code: failure.code, errors });
  deps.metrics.addMetric(metricNames.eventsRejected, MetricUnit.Count, 1);
  return { status: "rejected", reason: failure.code, errors };
}

/** The error policy (settleFailure) as middleware. */
export function eventConsumerErrors(deps: ErrorPolicyDeps): MiddlewareObj<unknown, ConsumerResult> {
  return {
    onError: async (request) => {
      try {
        request.response = await settleFailure(deps, request.event, request.error);
      } catch (thrown) {
        // Replacing the error (rather than throwing here) lets the metrics middleware still flush.
        request.error = thrown as Error;
      }
    },
  };
}

type Processed = { outcome: "committed" | "duplicate" | "unchanged" };

/** The event as this consumer's contract: anything else (invalid, or another detail-type) is an InvalidEvent. */
export function parseConsumed<Id extends InboundEventId>(id: Id, event: unknown): Inbound<Id> {
  const parsed = parseInbound(event);
  if (!parsed.ok) throw new InvalidEvent(parsed.errors);
  if (parsed.id !== id)
    throw new InvalidEvent([
      {
        path: "detail-type",
        message: `this consumer handles "${inboundEvents[id].detailType}", not "${parsed.definition.detailType}"`,
      },
    ]);
  return parsed as Inbound<Id>;
}

/** Logs and counts what a use case did with an event. */
export function recordOutcome(
  deps: Pick<ConsumerDeps, "logger" | "metrics">,
  event: Inbound<InboundEventId>,
  outcome: Processed["outcome"],
): ConsumerResult {
  const eventId = event.envelope.id;
  deps.logger.info("event processed", {
    eventId,
    detailType: event.envelope["detail-type"],
    memberId: event.detail.memberId,
    outcome,
  });
  const metric = outcome === "duplicate" ? metricNames.eventsDuplicate : metricNames.eventsProcessed;
  deps.metrics.addMetric(metric, MetricUnit.Count, 1);
  return { status: outcome, eventId };
}

/**
 * A Lambda handler for one inbound event type: parse the envelope with the contract's zod schema,
 * run one use case (given `deps` carrying the invocation's abort signal), and record the outcome. Events of
 * another detail-type are rejected.
 */
export function createEventConsumer<Id extends InboundEventId>(
  id: Id,
  deps: ConsumerDeps,
  process: (deps: ConsumerDeps, event: Inbound<Id>) => Promise<Processed>,
) {
  const core = async (
    event: unknown,
    _context: unknown,
    { signal }: { signal: AbortSignal },
  ): Promise<ConsumerResult> => {
    const parsed = parseConsumed(id, event);
    // Conflict retries stop when middy aborts the invocation at its timeout (optimistic-retry.ts).
    const { outcome } = await process({ ...deps, retry: { ...deps.retry, signal } }, parsed);
    return recordOutcome(deps, parsed, outcome);
  };
  return middy<unknown, ConsumerResult>(core)
    .use(injectLambdaContext(deps.logger))
    .use(logMetrics(deps.metrics))
    .use(eventConsumerErrors(deps));
}
