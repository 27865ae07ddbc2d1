import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import type { EventPublisher } from "../adapters/bus/event-publisher";
import { publishOutbox } from "../adapters/bus/outbox";
import type { Logger } from "../shared/logger";
import { type Metrics, MetricUnit, metricNames } from "../shared/metrics";
import { onFirstCall, publisherDepsFromEnv } from "../shared/runtime";

export interface OutboxPublisherDeps {
  publisher: EventPublisher;
  logger: Logger;
  metrics: Metrics;
}

/** Table stream → EventBridge: publishes the outbound events committed with each ledger entry. */
export function createOutboxPublisherHandler(deps: OutboxPublisherDeps) {
  const core = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { published, batchItemFailures } = await publishOutbox(event.Records, deps.publisher);
    deps.metrics.addMetric(metricNames.outboundPublished, MetricUnit.Count, published);
    if (batchItemFailures.length > 0) {
      deps.metrics.addMetric(metricNames.outboundFailed, MetricUnit.Count, batchItemFailures.length);
      // Sequence numbers only: record images may hold PII.
      deps.logger.warn("outbound events not published, records will be retried", {
        failedRecords: batchItemFailures.map((failure) => failure.itemIdentifier),
      });
    }
    return { batchItemFailures };
  };
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(core)
    .use(injectLambdaContext(deps.logger))
    .use(logMetrics(deps.metrics));
}

export const handler = onFirstCall(() => createOutboxPublisherHandler(publisherDepsFromEnv()));
