import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context, SQSBatchResponse } from "aws-lambda";
import { type Program, programSchema } from "../../../domain";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { memoryRejectedEventSink } from "../../../functions/adapters/bus/rejected-events";
import {
  createMemberRepository,
  type MemberRepository,
} from "../../../functions/adapters/dynamo/member-repository";
import type { OptimisticRetryOptions } from "../../../functions/adapters/dynamo/optimistic-retry";
import { createInteractionRecordedHandler } from "../../../functions/handlers/interaction-recorded";
import { createMemberEnrolledHandler } from "../../../functions/handlers/member-enrolled";
import { createMemberUpdatedHandler } from "../../../functions/handlers/member-updated";
import {
  createPurchaseCompletedBatchHandler,
  createPurchaseCompletedHandler,
} from "../../../functions/handlers/purchase-completed";
import { createPurchaseRefundedHandler } from "../../../functions/handlers/purchase-refunded";
import { staticProgramSource } from "../../../functions/pipeline/ports";
import type { ConsumerDeps, ConsumerResult } from "../../../functions/shared/event-consumer";
import { createLogger } from "../../../functions/shared/logger";
import { createMetrics } from "../../../functions/shared/metrics";
import { sqsEvent } from "../../../scripts/local/consumers";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";

// Drives the real consumer handlers against DynamoDB Local, like EventBridge would: a handler that
// throws is retried by redelivering the same envelope.

/** Metrics are recorded but not printed in tests. */
process.env.POWERTOOLS_METRICS_DISABLED = "true";

export const lambdaContext = {
  functionName: "patron-test",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:patron-test",
  memoryLimitInMB: "256",
  awsRequestId: "test-request",
  logGroupName: "/aws/lambda/patron-test",
  logStreamName: "test",
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/**
 * The example program with two order-sensitive rules neutralised, for tests comparing delivery
 * orders: every tier earns ×1 (otherwise a purchase earns more when a purchase that crossed a
 * threshold happened to be processed first) and there are no visit streaks (which 3 of a member's
 * visit days complete a streak depends on the order the days arrive in). Lower thresholds make tier
 * changes common with test-sized baskets.
 */
export const orderIndependentProgram: Program = programSchema.parse({
  ...exampleProgramInput,
  tiers: exampleProgramInput.tiers.map((tier, i) => ({
    ...tier,
    earnMultiplier: 1,
    threshold: [0, 300, 900][i],
  })),
  streaks: [],
});

export interface Harness {
  table: TestTable;
  client: DynamoDBClient;
  repository: MemberRepository;
  deps: ConsumerDeps;
  rejected: ReturnType<typeof memoryRejectedEventSink>;
  deliver(event: unknown, context?: Context): Promise<ConsumerResult>;
  /** Purchases as the deployed consumer takes them: one SQS batch, each record's message id its position. */
  deliverBatch(events: readonly unknown[]): Promise<SQSBatchResponse>;
  close(): Promise<void>;
}

const handlersFor = (deps: ConsumerDeps) => ({
  "Purchase Completed": createPurchaseCompletedHandler(deps),
  "Purchase Refunded": createPurchaseRefundedHandler(deps),
  "Interaction Recorded": createInteractionRecordedHandler(deps),
  "Member Enrolled": createMemberEnrolledHandler(deps),
  "Member Updated": createMemberUpdatedHandler(deps),
});

export async function createHarness(
  endpoint: string,
  options: {
    program?: Program;
    now: string;
    retry?: OptimisticRetryOptions;
    recentKeyLimit?: number;
    refundAuthoritySources?: readonly string[];
    producerSources?: readonly (readonly string[])[];
    /** Keep the table's stream (for tests that poll it). */
    stream?: boolean;
  },
): Promise<Harness> {
  const table = await createTestTable(endpoint, { stream: options.stream ?? false });
  const client = dynamoClient(endpoint, 3);
  const rejected = memoryRejectedEventSink();
  const repository = createMemberRepository({
    client,
    tableName: table.tableName,
    ...(options.recentKeyLimit !== undefined && { recentKeyLimit: options.recentKeyLimit }),
  });
  const deps: ConsumerDeps = {
    members: repository,
    programs: staticProgramSource([options.program ?? orderIndependentProgram]),
    clock: () => new Date(options.now),
    logger: createLogger({ logLevel: "SILENT" }),
    metrics: createMetrics(),
    rejected,
    refundLookbackDays: 400,
    ...(options.refundAuthoritySources && { refundAuthoritySources: options.refundAuthoritySources }),
    ...(options.producerSources && { producerSources: options.producerSources }),
    ...(options.retry && { retry: options.retry }),
  };
  const handlers = handlersFor(deps);
  const batchHandler = createPurchaseCompletedBatchHandler(deps);
  return {
    table,
    client,
    repository,
    deps,
    rejected,
    deliver(event, context = lambdaContext) {
      const type = (event as { "detail-type"?: string })["detail-type"] as keyof typeof handlers;
      const handler = handlers[type] ?? handlers["Purchase Completed"];
      return handler(event, context);
    },
    deliverBatch(events) {
      const records = events.map((event, i) => ({
        messageId: String(i),
        body: typeof event === "string" ? event : JSON.stringify(event),
      }));
      return batchHandler(sqsEvent(records, "arn:aws:sqs:eu-west-1:123456789012:patron-test"), lambdaContext);
    },
    async close() {
      client.destroy();
      await table.drop();
    },
  };
}
