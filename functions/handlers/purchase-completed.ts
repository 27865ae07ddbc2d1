import { processPurchase } from "../pipeline/process-purchase";
import { type ConsumerDeps, createEventConsumer } from "../shared/event-consumer";
import { MetricUnit, metricNames } from "../shared/metrics";
import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";

/**
 * Purchase Completed → earn points, tiers and frequency rewards; outbound events via the outbox. A purchase
 * with categories the program does not declare is applied (base points) and counted, so the gap is noticed.
 */
export function createPurchaseCompletedHandler(deps: ConsumerDeps) {
  return createEventConsumer("purchaseCompleted", deps, async (consumerDeps, event) => {
    const outcome = await processPurchase(consumerDeps, event);
    if (outcome.unknownCategories) {
      consumerDeps.metrics.addMetric(metricNames.purchasesWithUnknownCategory, MetricUnit.Count, 1);
      consumerDeps.logger.info("purchase has categories without a rule", {
        eventId: event.envelope.id,
        code: "unknown-category",
        categories: outcome.unknownCategories.length,
      });
    }
    return outcome;
  });
}

export const handler = onFirstCall(() => createPurchaseCompletedHandler(consumerDepsFromEnv()));
