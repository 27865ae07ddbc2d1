import { processPurchase } from "../pipeline/process-purchase";
import { type ConsumerDeps, createEventConsumer } from "../shared/event-consumer";
import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";

/** Purchase Completed → earn points, tiers and frequency rewards; outbound events via the outbox. */
export function createPurchaseCompletedHandler(deps: ConsumerDeps) {
  return createEventConsumer("purchaseCompleted", deps, processPurchase);
}

export const handler = onFirstCall(() => createPurchaseCompletedHandler(consumerDepsFromEnv()));
