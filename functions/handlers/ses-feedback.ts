import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { createDynamoClient } from "../adapters/dynamo/client";
import { createMemberRepository } from "../adapters/dynamo/member-repository";
import { applySesFeedback, type FeedbackOutcome } from "../retention/apply-ses-feedback";
import { sesFeedbackEnv } from "../retention/config";
import { createLogger, type Logger } from "../shared/logger";
import { onFirstCall } from "../shared/runtime";

export interface SesFeedbackDeps {
  members: Parameters<typeof applySesFeedback>[0]["members"];
  logger: Logger;
}

/** SES bounce / complaint events → the member's address is marked undeliverable. */
export function createSesFeedbackHandler(deps: SesFeedbackDeps) {
  return middy<unknown, FeedbackOutcome>((event: unknown) => applySesFeedback(deps, event)).use(
    injectLambdaContext(deps.logger),
  );
}

export const handler = onFirstCall(() => {
  const env = sesFeedbackEnv();
  const client = createDynamoClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION });
  return createSesFeedbackHandler({
    members: createMemberRepository({ client, tableName: env.TABLE_NAME }),
    logger: createLogger(),
  });
});
