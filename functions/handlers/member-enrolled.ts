import { processEnrolment } from "../pipeline/process-enrolment";
import { type ConsumerDeps, createEventConsumer } from "../shared/event-consumer";
import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";

/** Member Enrolled → member state in the lowest tier (unless already auto-enrolled) and profile. */
export function createMemberEnrolledHandler(deps: ConsumerDeps) {
  return createEventConsumer("memberEnrolled", deps, processEnrolment);
}

export const handler = onFirstCall(() => createMemberEnrolledHandler(consumerDepsFromEnv()));
