import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import { inboundEvents } from "../../events/catalog";
import type { FieldError } from "../../events/validation-errors";
import type { ConsumerDeps } from "./event-consumer";
import { MetricUnit, metricNames } from "./metrics";
import { identify, loggableIds, parkRejected } from "./rejections";

export const UNROUTED_REASON = "unrouted";

export type UnroutedDeps = Pick<ConsumerDeps, "logger" | "metrics" | "rejected" | "clock">;

export interface UnroutedResult {
  status: "rejected";
  reason: typeof UNROUTED_REASON;
  errors: FieldError[];
}

const handled = Object.values(inboundEvents).map((definition) => definition.detailType);
const NO_CONSUMER: FieldError = {
  path: "detail-type",
  message: `no consumer handles this detail-type from producers; expected one of ${handled.join(", ")}`,
};

/**
 * The target of the catch-all rule: a producer event of a detail-type no consumer handles (misspelt,
 * unknown, or one only Patron publishes) is parked with reason `unrouted` and counted (`EventsUnrouted`),
 * never dropped. If it cannot be parked the invocation fails, so EventBridge retries it.
 */
export function createUnroutedConsumer(deps: UnroutedDeps) {
  const core = async (event: unknown): Promise<UnroutedResult> => {
    const errors = await parkRejected(deps, { event, reason: UNROUTED_REASON, errors: [NO_CONSUMER] });
    deps.logger.warn("event unrouted", { ...loggableIds(identify(event)), code: UNROUTED_REASON });
    deps.metrics.addMetric(metricNames.eventsUnrouted, MetricUnit.Count, 1);
    return { status: "rejected", reason: UNROUTED_REASON, errors };
  };
  return middy<unknown, UnroutedResult>(core)
    .use(injectLambdaContext(deps.logger))
    .use(logMetrics(deps.metrics));
}
