import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { createDynamoClient } from "../adapters/dynamo/client";
import type { Logger } from "./logger";

// What the scheduled and invoked handlers (jobs, grant runner, SES feedback, sign-in trigger) wire the same way.

/** The table from a function's parsed configuration: a client (DynamoDB Local when an endpoint is set) and its name. */
export function tableFromConfig(config: {
  DYNAMODB_ENDPOINT?: string;
  AWS_REGION?: string;
  TABLE_NAME: string;
}) {
  return {
    client: createDynamoClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION }),
    tableName: config.TABLE_NAME,
  };
}

/** A Lambda handler running `work`, whose log lines carry the invocation's context (request id, cold start). */
export function withLambdaContext<E, R>(logger: Logger, work: (event: E) => Promise<R>) {
  return middy<E, R>(work).use(injectLambdaContext(logger));
}
