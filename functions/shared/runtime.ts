import { createEventBridgeClient } from "../adapters/bus/event-bridge-client";
import { createEventPublisher } from "../adapters/bus/event-publisher";
import { tableRejectedEventSink } from "../adapters/bus/rejected-events";
import { createDynamoClient } from "../adapters/dynamo/client";
import { createMemberRepository } from "../adapters/dynamo/member-repository";
import { createProgramRepository } from "../adapters/dynamo/program-repository";
import { parseConfig } from "./config";
import { consumerConfigSchema } from "./consumer-config";
import type { ConsumerDeps } from "./event-consumer";
import { createLogger } from "./logger";
import { createMetrics } from "./metrics";
import { publisherConfigSchema } from "./publisher-config";

// Production wiring, built once per cold start from the environment. Tests and the local stack call
// the handler factories with their own dependencies instead.

export function consumerDepsFromEnv(env: Record<string, string | undefined> = process.env): ConsumerDeps {
  const config = parseConfig(consumerConfigSchema, env);
  const client = createDynamoClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
  const tableName = config.TABLE_NAME;
  return {
    members: createMemberRepository({ client, tableName }),
    programs: createProgramRepository({ client, tableName }),
    clock: () => new Date(),
    logger: createLogger(),
    metrics: createMetrics(),
    rejected: tableRejectedEventSink({ client, tableName }),
    refundLookbackDays: config.REFUND_LOOKBACK_DAYS,
    refundAuthoritySources: config.REFUND_AUTHORITY_SOURCES,
    producerSources: config.PRODUCER_SOURCES,
  };
}

export function publisherDepsFromEnv(env: Record<string, string | undefined> = process.env) {
  const config = parseConfig(publisherConfigSchema, env);
  const client = createEventBridgeClient({
    region: config.AWS_REGION,
    endpoint: config.EVENTBRIDGE_ENDPOINT,
  });
  return {
    publisher: createEventPublisher({ client, eventBusName: config.EVENT_BUS_NAME }),
    logger: createLogger(),
    metrics: createMetrics(),
  };
}

/**
 * Builds the real handler on the first invocation (still the cold start) rather than at import, so
 * importing a handler module for its factory never requires the Lambda environment.
 */
export function onFirstCall<Args extends unknown[], R>(
  build: () => (...args: Args) => R,
): (...args: Args) => R {
  let built: ((...args: Args) => R) | undefined;
  return (...args) => {
    built ??= build();
    return built(...args);
  };
}
