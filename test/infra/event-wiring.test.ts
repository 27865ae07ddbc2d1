import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { consumerRules } from "../../events/rules";
import { functionSpecs } from "../../infra/function-specs";
import type { PatronStack } from "../../infra/patron-stack";
import { BATCH_MAX_RECEIVES, SES_FEEDBACK_DETAIL_TYPES } from "../../infra/triggers";
import { logicalId, render, SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

// biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped; tests walk it by known CloudFormation property names.
type Resource = { Type: string; Properties: Record<string, any> };

let stack: PatronStack;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  ({ stack, template } = synthPatron());
  resources = template.toJSON().Resources;
}, SYNTH_TIMEOUT_MS);

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const fnArn = (name: string) => `<${logicalId(stack.stateless.functionFor(name))}.Arn>`;
const isQueue = (arn: string) => {
  const id = /^<(.+)\.Arn>$/.exec(arn)?.[1];
  return id !== undefined && resources[id]?.Type === "AWS::SQS::Queue";
};

/** Event source mappings that feed the consumer. */
const mappingsOf = (name: string) =>
  ofType("AWS::Lambda::EventSourceMapping")
    .filter(
      ([, mapping]) =>
        render(mapping.Properties.FunctionName) === `<${logicalId(stack.stateless.functionFor(name))}>`,
    )
    .map(([, mapping]) => mapping);
/** The ARN of the one queue whose event source feeds the consumer. */
const queueOf = (name: string) => {
  const mappings = mappingsOf(name);
  expect(mappings).toHaveLength(1);
  return render(mappings[0]?.Properties.EventSourceArn);
};

describe("EventBridge rules", () => {
  const patronBusRules = () =>
    ofType("AWS::Events::Rule").filter(
      ([, rule]) => render(rule.Properties.EventBusName) === `<${logicalId(stack.stateful.bus)}>`,
    );

  it.each(consumerRules.map((rule) => [rule.id, rule] as const))(
    "%s: the deployed pattern equals events/rules.ts and targets its consumer",
    (_id, rule) => {
      // A rule fed in batches targets a queue the consumer's event source reads; any other, the consumer.
      const targetArn = rule.batchSize === undefined ? fnArn(rule.consumer) : queueOf(rule.consumer);
      const matching = patronBusRules().filter(([, deployed]) =>
        deployed.Properties.Targets.some((target: { Arn: unknown }) => render(target.Arn) === targetArn),
      );
      expect(matching).toHaveLength(1);
      expect(matching[0]?.[1].Properties.EventPattern).toStrictEqual(rule.eventPattern);
    },
  );

  it.each(consumerRules.flatMap((rule) => (rule.batchSize ? [[rule.id, rule] as const] : [])))(
    "%s: its queue hands the consumer batches of the rule's size, redelivers only failed events, then parks them",
    (_id, rule) => {
      const queueArn = queueOf(rule.consumer);
      const props = mappingsOf(rule.consumer)[0]?.Properties;
      expect(props?.BatchSize).toBe(rule.batchSize);
      expect(props?.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      const queue = resources[/^<(.+)\.Arn>$/.exec(queueArn)?.[1] ?? ""]?.Properties;
      expect(isQueue(render(queue?.RedrivePolicy.deadLetterTargetArn))).toBe(true);
      expect(queue?.RedrivePolicy.maxReceiveCount).toBe(BATCH_MAX_RECEIVES);
      expect(queue?.SqsManagedSseEnabled).toBe(true);
      // Six times the consumer's timeout, so a batch still running is not handed out again.
      const timeout = stack.stateless.functionFor(rule.consumer).timeout?.toSeconds() ?? 0;
      expect(queue?.VisibilityTimeout).toBe(6 * timeout);
    },
  );

  it("has no rule on Patron's bus beyond those in events/rules.ts", () => {
    const deployed = patronBusRules().map(([, rule]) => rule.Properties.EventPattern);
    expect(deployed).toHaveLength(consumerRules.length);
    for (const pattern of deployed)
      expect(consumerRules.map((rule) => rule.eventPattern)).toContainEqual(pattern);
  });

  it("gives every target of every rule its own SQS dead-letter queue and a retry policy", () => {
    const dlqs: string[] = [];
    for (const [id, rule] of ofType("AWS::Events::Rule")) {
      for (const target of rule.Properties.Targets) {
        const dlq = render(target.DeadLetterConfig?.Arn);
        expect(isQueue(dlq), `${id} target DLQ`).toBe(true);
        expect(target.RetryPolicy.MaximumRetryAttempts, id).toBeGreaterThan(0);
        expect(target.RetryPolicy.MaximumEventAgeInSeconds, id).toBeGreaterThan(0);
        dlqs.push(dlq);
      }
    }
    expect(new Set(dlqs).size).toBe(dlqs.length);
  });

  it("routes only Patron's own SES bounces, complaints and rejects (from the default bus) to ses-feedback", () => {
    const rules = ofType("AWS::Events::Rule").filter(
      ([, rule]) => rule.Properties.EventBusName === "default",
    );
    expect(rules).toHaveLength(1);
    const rule = rules[0]?.[1];
    expect(rule?.Properties.EventPattern).toEqual({
      source: ["aws.ses"],
      "detail-type": SES_FEEDBACK_DETAIL_TYPES,
      detail: {
        mail: { tags: { "ses:configuration-set": [{ Ref: logicalId(stack.stateful.configurationSet) }] } },
      },
    });
    expect(rule?.Properties.Targets.map((target: { Arn: unknown }) => render(target.Arn))).toEqual([
      fnArn("ses-feedback"),
    ]);
  });
});

describe("async failures", () => {
  const asyncNames = functionSpecs
    .filter((spec) => ["consumer-rule", "schedule", "ses-feedback"].includes(spec.trigger.kind))
    .map((spec) => spec.name);

  it.each(asyncNames)("%s sends events its handler failed on to an SQS on-failure destination", (name) => {
    const configs = ofType("AWS::Lambda::EventInvokeConfig").filter(
      ([, config]) =>
        render(config.Properties.FunctionName) === `<${logicalId(stack.stateless.functionFor(name))}>`,
    );
    expect(configs).toHaveLength(1);
    const props = configs[0]?.[1].Properties;
    expect(isQueue(render(props?.DestinationConfig.OnFailure.Destination))).toBe(true);
    expect(props?.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it("bisects failing outbox batches and parks records that keep failing in a queue", () => {
    const mappings = mappingsOf("outbox-publisher");
    expect(mappings).toHaveLength(1);
    const props = mappings[0]?.Properties;
    expect(render(props?.EventSourceArn)).toBe(`<${logicalId(stack.stateful.table)}.StreamArn>`);
    expect(props?.BisectBatchOnFunctionError).toBe(true);
    expect(props?.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    expect(props?.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(isQueue(render(props?.DestinationConfig.OnFailure.Destination))).toBe(true);
  });

  it.each(
    functionSpecs.flatMap((spec) => (spec.trigger.kind === "schedule" ? [[spec.name, spec.trigger.at]] : [])),
  )(
    "%s runs at its spec's UTC time %o from EventBridge Scheduler with retries and a dead-letter queue",
    (name, at) => {
      const schedules = ofType("AWS::Scheduler::Schedule").filter(
        ([, schedule]) => render(schedule.Properties.Target.Arn) === fnArn(name),
      );
      expect(schedules).toHaveLength(1);
      const props = schedules[0]?.[1].Properties;
      expect(props?.ScheduleExpression).toBe(`cron(${at.minute} ${at.hour ?? "*"} * * ? *)`);
      expect(props?.ScheduleExpressionTimezone).toBe("Etc/UTC");
      expect(isQueue(render(props?.Target.DeadLetterConfig.Arn))).toBe(true);
      expect(props?.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    },
  );
});

describe("alarms", () => {
  const alarms = () => ofType("AWS::CloudWatch::Alarm").map(([, alarm]) => alarm.Properties);
  const topic = () => `<${logicalId(stack.monitoring.topic)}>`;

  const eventQueues = () => stack.stateless.eventQueues.map((queue) => logicalId(queue));
  /** Expects an alarm on the queue's metric at the threshold, notifying the alarm topic. */
  const expectQueueAlarm = (queue: string, metric: string, threshold: number) => {
    const alarm = alarms().find(
      (props) =>
        props.MetricName === metric &&
        props.Dimensions?.some(
          (dimension: { Value: unknown }) => render(dimension.Value) === `<${queue}.QueueName>`,
        ),
    );
    expect(alarm, queue).toBeDefined();
    expect(alarm?.Threshold).toBe(threshold);
    expect(alarm?.AlarmActions.map(render)).toEqual([topic()]);
  };

  it("alarms on every dead-letter queue (every SQS queue but the event queues) and notifies the alarm topic", () => {
    const queues = ofType("AWS::SQS::Queue")
      .map(([id]) => id)
      .filter((id) => !eventQueues().includes(id));
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) expectQueueAlarm(queue, "ApproximateNumberOfMessagesVisible", 1);
  });

  it("alarms when an event queue's oldest event waited 15 minutes, and notifies the alarm topic", () => {
    expect(eventQueues().length).toBe(consumerRules.filter((rule) => rule.batchSize).length);
    for (const queue of eventQueues()) expectQueueAlarm(queue, "ApproximateAgeOfOldestMessage", 900);
  });

  it.each(functionSpecs.map((spec) => spec.name))("alarms on errors and throttles of %s", (name) => {
    const functionRef = `<${logicalId(stack.stateless.functionFor(name))}>`;
    for (const metric of ["Errors", "Throttles"]) {
      const alarm = alarms().find(
        (props) =>
          props.MetricName === metric &&
          props.Namespace === "AWS/Lambda" &&
          props.Dimensions?.some((dimension: { Value: unknown }) => render(dimension.Value) === functionRef),
      );
      expect(alarm, `${name} ${metric}`).toBeDefined();
      expect(alarm?.AlarmActions.map(render)).toEqual([topic()]);
    }
  });

  it("has a dashboard", () => {
    expect(ofType("AWS::CloudWatch::Dashboard").length).toBeGreaterThan(0);
  });
});
