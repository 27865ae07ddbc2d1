import { processMemberUpdate } from "../pipeline/process-member-update";
import { type ConsumerDeps, createEventConsumer } from "../shared/event-consumer";
import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";

/** Member Updated → newer profile fields replace older ones. */
export function createMemberUpdatedHandler(deps: ConsumerDeps) {
  return createEventConsumer("memberUpdated", deps, processMemberUpdate);
}

export const handler = onFirstCall(() => createMemberUpdatedHandler(consumerDepsFromEnv()));
