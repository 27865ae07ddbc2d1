import { processInteraction } from "../pipeline/process-interaction";
import { type ConsumerDeps, createEventConsumer } from "../shared/event-consumer";
import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";

/** Interaction Recorded → points under the kind's rule and caps. */
export function createInteractionRecordedHandler(deps: ConsumerDeps) {
  return createEventConsumer("interactionRecorded", deps, processInteraction);
}

export const handler = onFirstCall(() => createInteractionRecordedHandler(consumerDepsFromEnv()));
