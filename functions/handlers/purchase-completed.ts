import type { Inbound } from "../pipeline/inbound";
import { type PurchaseOutcome, processPurchase } from "../pipeline/process-purchase";
import { commitPurchaseBatch } from "../pipeline/process-purchase-batch";
import { createBatchEventConsumer } from "../shared/batch-consumer";
import { type ConsumerDeps, createEventConsumer } from "../shared/event-consumer";
import { MetricUnit, metricNames } from "../shared/metrics";
import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";

/**
 * Purchase Completed → earn points, tiers and frequency rewards; outbound events via the outbox. A purchase
 * with categories the program does not declare is applied (base points) and counted, so the gap is noticed.
 */
function noteUnknownCategories(
  deps: ConsumerDeps,
  event: Inbound<"purchaseCompleted">,
  outcome: { unknownCategories?: string[] },
) {
  if (!outcome.unknownCategories) return;
  deps.metrics.addMetric(metricNames.purchasesWithUnknownCategory, MetricUnit.Count, 1);
  deps.logger.info("purchase has categories without a rule", {
    eventId: event.envelope.id,
    code: "unknown-category",
    categories: outcome.unknownCategories.length,
  });
}

/** One event an invocation, as an EventBridge rule delivers it (tests, and the batch consumer's one-by-one path). */
export function createPurchaseCompletedHandler(deps: ConsumerDeps) {
  return createEventConsumer("purchaseCompleted", deps, async (consumerDeps, event) => {
    const outcome = await processPurchase(consumerDeps, event);
    noteUnknownCategories(consumerDeps, event, outcome);
    return outcome;
  });
}

/** The deployed consumer: batches from the rule's SQS queue (events/rules.ts `batchSize`), committed together. */
export function createPurchaseCompletedBatchHandler(deps: ConsumerDeps) {
  return createBatchEventConsumer<"purchaseCompleted", PurchaseOutcome>("purchaseCompleted", deps, {
    processOne: processPurchase,
    processBatch: commitPurchaseBatch,
    onOutcome: noteUnknownCategories,
  });
}

export const handler = onFirstCall(() => createPurchaseCompletedBatchHandler(consumerDepsFromEnv()));
