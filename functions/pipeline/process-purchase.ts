import { applyPurchase } from "../../domain";
import type { Inbound } from "./inbound";
import { purchaseFacts } from "./mapping";
import type { PipelineDeps } from "./ports";
import { eventPayload, type ProcessOutcome, processMemberEvent } from "./process-member-event";

/** Purchase Completed: earn points (pending during the return window), tiers, frequency rewards. */
export function processPurchase(
  deps: PipelineDeps,
  event: Inbound<"purchaseCompleted">,
): Promise<ProcessOutcome> {
  const facts = purchaseFacts(event.detail, event.idempotencyKey);
  return processMemberEvent(deps, {
    memberId: event.detail.memberId,
    kind: "purchase",
    sourceKey: event.idempotencyKey,
    payload: eventPayload(event.detail),
    occurredAt: event.detail.occurredAt,
    decide: async (state, program, now) => applyPurchase(state, program, facts, { now }),
  });
}
