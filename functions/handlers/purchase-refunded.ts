import { processRefund } from "../pipeline/process-refund";
import { type ConsumerDeps, createEventConsumer } from "../shared/event-consumer";
import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";

/** Purchase Refunded → reverse the order's points under the program's refund policy. */
export function createPurchaseRefundedHandler(deps: ConsumerDeps) {
  return createEventConsumer("purchaseRefunded", deps, processRefund);
}

export const handler = onFirstCall(() => createPurchaseRefundedHandler(consumerDepsFromEnv()));
