import type { AsyncLocalStorage } from "node:async_hooks";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { consumerRules } from "../../events/rules";
import { PATRON_SOURCE } from "../../events/sources";
import { createInteractionRecordedHandler } from "../../functions/handlers/interaction-recorded";
import { createMemberEnrolledHandler } from "../../functions/handlers/member-enrolled";
import { createMemberUpdatedHandler } from "../../functions/handlers/member-updated";
import { createPurchaseCompletedBatchHandler } from "../../functions/handlers/purchase-completed";
import { createPurchaseRefundedHandler } from "../../functions/handlers/purchase-refunded";
import { createReferralCompletedHandler } from "../../functions/handlers/referral-completed";
import { createUnroutedEventsHandler } from "../../functions/handlers/unrouted-events";
import type { ConsumerDeps } from "../../functions/shared/event-consumer";
import type { Logger } from "../../functions/shared/logger";
import type { PlatformClock } from "./clock";
import { bindConsumerRules } from "./event-bus/consumer-rules";
import type { BatchBusTarget, BusTarget, RuleTarget } from "./event-bus/delivery-queue";
import type { LocalBusRule } from "./event-bus/event-bus-core";

// The bus rules of the local platform: the same patterns as the CDK rules (events/rules.ts), each
// delivering to the same handler the Lambda runs, built by its factory with local dependencies.

/** What Lambda passes as the context; the handlers' middleware reads the request id and function name. */
export function localLambdaContext(functionName: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

type LambdaLike = (event: unknown, context: Context) => Promise<unknown>;

type BatchLambdaLike = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const handlerFactories: Readonly<Record<string, (deps: ConsumerDeps) => LambdaLike>> = {
  "purchase-refunded": createPurchaseRefundedHandler,
  "interaction-recorded": createInteractionRecordedHandler,
  "member-enrolled": createMemberEnrolledHandler,
  "member-updated": createMemberUpdatedHandler,
  "referral-completed": createReferralCompletedHandler,
  "unrouted-events": createUnroutedEventsHandler,
};

/** A handler that throws makes the bus retry, then dead-letter — EventBridge's target retry policy. */
function asTarget(name: string, handler: LambdaLike): BusTarget {
  return async (event) => {
    await handler(event, localLambdaContext(`patron-${name}-local`, event.id));
  };
}

/** Consumers fed in batches from an SQS queue (events/rules.ts `batchSize`), as their Lambdas are. */
const batchHandlerFactories: Readonly<Record<string, (deps: ConsumerDeps) => BatchLambdaLike>> = {
  "purchase-completed": createPurchaseCompletedBatchHandler,
};

/** Messages as an SQS event source hands them to a Lambda, with the attributes it sets. */
export function sqsEvent(
  records: readonly { messageId: string; body: string }[],
  queueArn: string,
): SQSEvent {
  return {
    Records: records.map(({ messageId, body }) => ({
      messageId,
      receiptHandle: messageId,
      body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: String(Date.now()),
        SenderId: "events.amazonaws.com",
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: queueArn,
      awsRegion: queueArn.split(":")[3] ?? "local",
    })),
  };
}

/**
 * A batch as the SQS event source hands it over: each record's body is the EventBridge event. The event id serves
 * as the message id, so the failures the handler reports name the events to retry.
 */
function asBatchTarget(name: string, handler: BatchLambdaLike, batchSize: number): BatchBusTarget {
  return {
    batchSize,
    async deliver(events) {
      const records = events.map((event) => ({ messageId: event.id, body: JSON.stringify(event) }));
      const batch = sqsEvent(records, `arn:aws:sqs:local:000000000000:patron-${name}-local`);
      const requestId = events[0]?.id ?? "empty-batch";
      const { batchItemFailures } = await handler(
        batch,
        localLambdaContext(`patron-${name}-local`, requestId),
      );
      return new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    },
  };
}

/** Patron's own outbound events by detail-type; nothing consumes them locally, but the replay reports them. */
export function createOutboundCounter() {
  const counts = new Map<string, number>();
  const rule: LocalBusRule = {
    id: "local-outbound-counter",
    eventPattern: { source: [PATRON_SOURCE] },
    target: async (event) => {
      counts.set(event["detail-type"], (counts.get(event["detail-type"]) ?? 0) + 1);
    },
  };
  return { rule, counts: (): Record<string, number> => Object.fromEntries(counts) };
}

/**
 * `newLogger` gives each handler its own logger, as each Lambda has: the handlers' middleware stamps the
 * invocation's context on it, which concurrent deliveries would otherwise overwrite for each other.
 */
export function localBusRules(
  deps: Omit<ConsumerDeps, "logger">,
  newLogger: () => Logger,
  extra: readonly LocalBusRule[] = [],
): LocalBusRule[] {
  const batchSizes = new Map(consumerRules.map((rule) => [rule.consumer, rule.batchSize]));
  const targets: Record<string, RuleTarget> = Object.fromEntries([
    ...Object.entries(handlerFactories).map(([name, factory]) => [
      name,
      asTarget(name, factory({ ...deps, logger: newLogger() })),
    ]),
    ...Object.entries(batchHandlerFactories).map(([name, factory]) => [
      name,
      asBatchTarget(name, factory({ ...deps, logger: newLogger() }), batchSizes.get(name) ?? 1),
    ]),
  ]);
  return [...bindConsumerRules(consumerRules, targets), ...extra];
}

/**
 * Rules whose deliveries run with `eventTime` holding the event's time (its envelope `time`, whole seconds) when
 * that lies before the clock, else the clock's time: the handlers' clock reads it (PlatformOptions.handleAtEventTime).
 * A batch runs at its latest event's time, as a batch is handled after all its events occurred, and holds events of
 * one UTC day only: a replay's queue spans days, and a batch that reached further would handle its first events
 * long after they occurred (a month → rejected as arrived too late), which a live queue never does.
 */
const sameDay = (a: string, b: string) => a.slice(0, 10) === b.slice(0, 10);

export function atEventTimes(
  rules: readonly LocalBusRule[],
  clock: PlatformClock,
  eventTime: AsyncLocalStorage<Date>,
): LocalBusRule[] {
  const at = (events: readonly { time: string }[]) =>
    new Date(Math.min(Math.max(...events.map((event) => Date.parse(event.time))), clock.now().getTime()));
  return rules.map((rule): LocalBusRule => {
    const target = rule.target;
    if (typeof target === "function")
      return { ...rule, target: (event) => eventTime.run(at([event]), () => target(event)) };
    return {
      ...rule,
      target: {
        ...target,
        deliver: (events) => eventTime.run(at(events), () => target.deliver(events)),
        joins: (first, next) => sameDay(first.time, next.time),
      },
    };
  });
}
