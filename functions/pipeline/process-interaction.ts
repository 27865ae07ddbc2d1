import { applyInteraction } from "../../domain";
import type { Inbound } from "./inbound";
import { interactionFacts } from "./mapping";
import type { PipelineDeps } from "./ports";
import { eventPayload, type ProcessOutcome, processMemberEvent } from "./process-member-event";

/** Interaction Recorded: points under the kind's rule and caps; kinds without a rule change nothing. */
export function processInteraction(
  deps: PipelineDeps,
  event: Inbound<"interactionRecorded">,
): Promise<ProcessOutcome> {
  const facts = interactionFacts(event.detail, event.idempotencyKey);
  return processMemberEvent(deps, {
    memberId: event.detail.memberId,
    kind: "interaction",
    sourceKey: event.idempotencyKey,
    payload: eventPayload(event.detail),
    occurredAt: event.detail.occurredAt,
    decide: async (state, program, now) => applyInteraction(state, program, facts, { now }),
  });
}
