import { createMemberRepository } from "../adapters/dynamo/member-repository";
import { applySesFeedback, type FeedbackOutcome } from "../retention/apply-ses-feedback";
import { sesFeedbackEnv } from "../retention/config";
import { tableFromConfig, withLambdaContext } from "../shared/lambda-wiring";
import { createLogger, type Logger } from "../shared/logger";
import { onFirstCall } from "../shared/runtime";

export interface SesFeedbackDeps {
  members: Parameters<typeof applySesFeedback>[0]["members"];
  logger: Logger;
}

/** SES bounce / complaint events → the member's address is marked undeliverable. */
export function createSesFeedbackHandler(deps: SesFeedbackDeps) {
  return withLambdaContext<unknown, FeedbackOutcome>(deps.logger, (event) => applySesFeedback(deps, event));
}

export const handler = onFirstCall(() => {
  return createSesFeedbackHandler({
    members: createMemberRepository(tableFromConfig(sesFeedbackEnv())),
    logger: createLogger(),
  });
});
