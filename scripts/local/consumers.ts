import type { AsyncLocalStorage } from "node:async_hooks";
import type { Context } from "aws-lambda";
import { consumerRules } from "../../events/rules";
import { PATRON_SOURCE } from "../../events/sources";
import { createInteractionRecordedHandler } from "../../functions/handlers/interaction-recorded";
import { createMemberEnrolledHandler } from "../../functions/handlers/member-enrolled";
import { createMemberUpdatedHandler } from "../../functions/handlers/member-updated";
import { createPurchaseCompletedHandler } from "../../functions/handlers/purchase-completed";
import { createPurchaseRefundedHandler } from "../../functions/handlers/purchase-refunded";
import { createReferralCompletedHandler } from "../../functions/handlers/referral-completed";
import { createUnroutedEventsHandler } from "../../functions/handlers/unrouted-events";
import type { ConsumerDeps } from "../../functions/shared/event-consumer";
import type { Logger } from "../../functions/shared/logger";
import type { PlatformClock } from "./clock";
import { bindConsumerRules } from "./event-bus/consumer-rules";
import type { BusTarget } from "./event-bus/delivery-queue";
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

const handlerFactories: Readonly<Record<string, (deps: ConsumerDeps) => LambdaLike>> = {
  "purchase-completed": createPurchaseCompletedHandler,
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
  const targets = Object.fromEntries(
    Object.entries(handlerFactories).map(([name, factory]) => [
      name,
      asTarget(name, factory({ ...deps, logger: newLogger() })),
    ]),
  );
  return [...bindConsumerRules(consumerRules, targets), ...extra];
}

/**
 * Rules whose deliveries run with `eventTime` holding the event's time (its envelope `time`, whole seconds) when
 * that lies before the clock, else the clock's time: the handlers' clock reads it (PlatformOptions.handleAtEventTime).
 */
export function atEventTimes(
  rules: readonly LocalBusRule[],
  clock: PlatformClock,
  eventTime: AsyncLocalStorage<Date>,
): LocalBusRule[] {
  return rules.map((rule) => ({
    ...rule,
    target: (event) => {
      const at = new Date(Math.min(Date.parse(event.time), clock.now().getTime()));
      return eventTime.run(at, () => rule.target(event));
    },
  }));
}
