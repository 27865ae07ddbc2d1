import { type CfnElement, Duration, Stack, TimeZone, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { type EventPattern, type IEventBus, Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction, SqsQueue } from "aws-cdk-lib/aws-events-targets";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { FilterCriteria, FilterRule, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { DynamoEventSource, SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Schedule, ScheduleExpression, ScheduleTargetInput } from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { ConsumerRule } from "../events/rules";
import { DeadLetterQueue } from "./dead-letter-queue";
import { describeSchedule, type ScheduleTime } from "./function-specs";
import type { PatronFunction } from "./patron-function";

/*
 * Every trigger retries, then parks what it could not deliver in its own dead-letter queue; async
 * invocations also get a Lambda on-failure destination for errors thrown by the handler itself.
 */

/** EventBridge -> Lambda delivery retries (the Lambda service then retries handler errors itself). */
export const RULE_TARGET_RETRY = { retryAttempts: 8, maxEventAge: Duration.hours(4) } as const;
/** Handler errors on async invocations: Lambda retries twice, then the on-failure destination. */
export const ASYNC_INVOKE_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(6) } as const;

/** Handler errors on async invocations go to a queue instead of being dropped after retries. */
export function addAsyncFailureDestination(scope: Construct, fn: PatronFunction): DeadLetterQueue {
  const queue = new DeadLetterQueue(
    scope,
    "AsyncFailures",
    `${fn.handlerName}: events the handler failed on`,
  );
  fn.configureAsyncInvoke({ onFailure: new SqsDestination(queue), ...ASYNC_INVOKE_RETRY });
  return queue;
}

/** Times SQS hands a batch consumer an event it failed on before the event goes to the dead-letter queue. */
export const BATCH_MAX_RECEIVES = 5;
/** SQS hides a received batch for this many times the function's timeout (AWS's advice for Lambda consumers). */
const VISIBILITY_PER_TIMEOUT = 6;

/**
 * Routes one consumer rule from events/rules.ts to its function: directly, or, for a rule with a `batchSize`,
 * through an SQS queue whose event source hands the function batches and redelivers only the events it
 * reports as failed; after BATCH_MAX_RECEIVES receives an event goes to the queue's dead-letter queue.
 */
export function subscribeToRule(
  scope: Construct,
  fn: PatronFunction,
  bus: IEventBus,
  rule: ConsumerRule,
): { deadLetterQueues: DeadLetterQueue[]; queue?: Queue } {
  const undelivered = new DeadLetterQueue(
    scope,
    "RuleDlq",
    `${rule.id}: events EventBridge could not deliver`,
  );
  const rest = { eventBus: bus, description: rule.description };
  // events/rules.ts holds raw EventBridge JSON ("detail-type"); CDK passes such keys through unchanged.
  const eventPattern = rule.eventPattern as EventPattern;
  if (rule.batchSize === undefined) {
    new Rule(scope, "Rule", {
      ...rest,
      eventPattern,
      targets: [new LambdaFunction(fn, { deadLetterQueue: undelivered, ...RULE_TARGET_RETRY })],
    });
    return { deadLetterQueues: [undelivered] };
  }
  const failed = new DeadLetterQueue(
    scope,
    "BatchDlq",
    `${rule.id}: events the handler failed on ${BATCH_MAX_RECEIVES} times`,
    { redriveTarget: true },
  );
  const queue = new Queue(scope, "Queue", {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(
      (fn.timeout ?? Duration.seconds(3)).toSeconds() * VISIBILITY_PER_TIMEOUT,
    ),
    deadLetterQueue: { queue: failed, maxReceiveCount: BATCH_MAX_RECEIVES },
  });
  new Rule(scope, "Rule", {
    ...rest,
    eventPattern,
    targets: [new SqsQueue(queue, { deadLetterQueue: undelivered, ...RULE_TARGET_RETRY })],
  });
  fn.addEventSource(new SqsEventSource(queue, { batchSize: rule.batchSize, reportBatchItemFailures: true }));
  return { deadLetterQueues: [undelivered, failed], queue };
}

/** SES detail types for the sending events the configuration set publishes. */
export const SES_FEEDBACK_DETAIL_TYPES = ["Email Bounced", "Email Complaint Received", "Email Rejected"];

/** Bounces and complaints from Patron's configuration set only (other senders share the default bus). */
export function sesFeedbackPattern(configurationSetName: string): EventPattern {
  return {
    source: ["aws.ses"],
    detailType: SES_FEEDBACK_DETAIL_TYPES,
    detail: { mail: { tags: { "ses:configuration-set": [configurationSetName] } } },
  };
}

export function subscribeToSesFeedback(
  scope: Construct,
  fn: PatronFunction,
  defaultBus: IEventBus,
  configurationSetName: string,
): DeadLetterQueue {
  const queue = new DeadLetterQueue(scope, "RuleDlq", "SES feedback events EventBridge could not deliver");
  new Rule(scope, "Rule", {
    eventBus: defaultBus,
    description: "Route SES bounces, complaints and rejects for Patron's configuration set to ses-feedback",
    eventPattern: sesFeedbackPattern(configurationSetName),
    targets: [new LambdaFunction(fn, { deadLetterQueue: queue, ...RULE_TARGET_RETRY })],
  });
  return queue;
}

/**
 * The transactional outbox: only INSERTs carry new outbound events. Failed batches are split to
 * isolate the bad record, and records that keep failing go to the queue instead of blocking the shard.
 */
export function subscribeToTableStream(scope: Construct, fn: PatronFunction, table: ITable): DeadLetterQueue {
  const queue = new DeadLetterQueue(
    scope,
    "StreamDlq",
    `${fn.handlerName}: stream records that kept failing`,
  );
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      maxRecordAge: Duration.hours(24),
      onFailure: new SqsDlq(queue),
      filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual("INSERT") })],
    }),
  );
  return queue;
}

export function scheduleRuns(scope: Construct, fn: PatronFunction, at: ScheduleTime): DeadLetterQueue {
  const queue = new DeadLetterQueue(
    scope,
    "ScheduleDlq",
    `${fn.handlerName}: schedule runs Scheduler could not deliver`,
  );
  const role = new Role(scope, "SchedulerRole", {
    assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
      conditions: { StringEquals: { "aws:SourceAccount": Stack.of(scope).account } },
    }),
    description: `Lets EventBridge Scheduler invoke ${fn.handlerName}`,
  });
  new Schedule(scope, "Schedule", {
    description: `${fn.handlerName} ${describeSchedule(at)}`,
    schedule: ScheduleExpression.cron({
      minute: String(at.minute),
      hour: at.hour === undefined ? "*" : String(at.hour),
      timeZone: TimeZone.ETC_UTC,
    }),
    target: new LambdaInvoke(fn, {
      role,
      deadLetterQueue: queue,
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
      input: ScheduleTargetInput.fromObject({ job: fn.handlerName }),
    }),
  });
  // The invoke grant also covers this one function's versions and aliases (`<arn>:*`).
  const functionLogicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
    reason: `lambda:InvokeFunction on ${fn.handlerName}'s qualified ARNs (versions/aliases), added by the Scheduler target grant.`,
  });
  return queue;
}
