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

/**
 * Consumer error policy. A rejected event (invalid, or contradicting what Patron knows) is parked in the
 * dead-letter sink with its reason, logged with field paths and messages only — never values, at most a
 * few kilobytes — counted, and answered normally so EventBridge does not retry it. Anything else, and a
 * rejected event the sink could not take, is rethrown for EventBridge's retry policy and the rule's
 * dead-letter queue.
 */
export function eventConsumerErrors(deps: {
  logger: Logger;
  metrics: Metrics;
  rejected: RejectedEventSink;
  clock: () => Date;
}): MiddlewareObj<unknown, ConsumerResult> {
  return {
    onError: async (request) => {
      const failure = classifyFailure(request.error);
      const ids = loggableIds(identify(request.event));
      if (failure.kind === "retryable") {
        deps.logger.warn("event failed, EventBridge will retry it", { ...ids, code: failure.code });
        deps.metrics.addMetric(metricNames.eventsRetried, MetricUnit.Count, 1);
        return;
      }
      let errors: FieldError[];
      try {
        errors = await parkRejected(deps, {
          event: failure.withholdDetail ? withoutDetail(request.event) : request.event,
          reason: failure.code,
          errors: failure.errors,
        });
      } catch (notParked) {
        // Replacing the error (rather than throwing here) lets the metrics middleware still flush.
        request.error = notParked as Error;
        return;
      }
      deps.logger.warn("event rejected", { ...ids, code: failure.code, errors });
      deps.metrics.addMetric(metricNames.eventsRejected, MetricUnit.Count, 1);
      request.response = { status: "rejected", reason: failure.code, errors };
    },
  };
}

/**
 * A Lambda handler for one inbound event type: parse the envelope with the contract's zod schema,
 * run one use case (given `deps` carrying the invocation's abort signal), and record the outcome. Events of
 * another detail-type are rejected.
 */
export function createEventConsumer<Id extends InboundEventId>(
  id: Id,
  deps: ConsumerDeps,
  process: (
    deps: ConsumerDeps,
    event: Inbound<Id>,
  ) => Promise<{ outcome: "committed" | "duplicate" | "unchanged" }>,
) {
  const expected = inboundEvents[id].detailType;
  const core = async (
    event: unknown,
    _context: unknown,
    { signal }: { signal: AbortSignal },
  ): Promise<ConsumerResult> => {
    const parsed = parseInbound(event);
    if (!parsed.ok) throw new InvalidEvent(parsed.errors);
    if (parsed.id !== id)
      throw new InvalidEvent([
        {
          path: "detail-type",
          message: `this consumer handles "${expected}", not "${parsed.definition.detailType}"`,
        },
      ]);
    // Conflict retries stop when middy aborts the invocation at its timeout (optimistic-retry.ts).
    const { outcome } = await process({ ...deps, retry: { ...deps.retry, signal } }, parsed as Inbound<Id>);
    const eventId = parsed.envelope.id;
    deps.logger.info("event processed", {
      eventId,
      detailType: expected,
      memberId: parsed.detail.memberId,
      outcome,
    });
    const metric = outcome === "duplicate" ? metricNames.eventsDuplicate : metricNames.eventsProcessed;
    deps.metrics.addMetric(metric, MetricUnit.Count, 1);
    return { status: outcome, eventId };
  };
  return middy<unknown, ConsumerResult>(core)
    .use(injectLambdaContext(deps.logger))
    .use(logMetrics(deps.metrics))
    .use(eventConsumerErrors(deps));
}
