import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";
import { createUnroutedConsumer, type UnroutedDeps } from "../shared/unrouted-consumer";

/** Producer events no consumer handles (the catch-all rule) → parked as `unrouted` and counted. */
export function createUnroutedEventsHandler(deps: UnroutedDeps) {
  return createUnroutedConsumer(deps);
}

export const handler = onFirstCall(() => createUnroutedEventsHandler(consumerDepsFromEnv()));
