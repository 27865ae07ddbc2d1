import { Duration } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  SingleValueWidget,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { DeadLetterQueue } from "./dead-letter-queue";
import type { PatronFunction } from "./patron-function";

export interface MonitoringProps {
  readonly envName: string;
  readonly functions: readonly PatronFunction[];
  readonly deadLetterQueues: readonly DeadLetterQueue[];
  /** Queues feeding consumers in batches: an alarm when their oldest event waits too long. */
  readonly eventQueues: readonly Queue[];
  readonly api: HttpApi;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);
/** An event queue whose oldest event waited this long is not keeping up (or its consumer keeps failing). */
const MAX_QUEUE_AGE = Duration.minutes(15);

/**
 * An alarm on anything in a DLQ, on an event queue's backlog and on any function error or throttle, plus one
 * dashboard.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, "AlarmTopic", {
      displayName: `Patron ${props.envName} alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const atLeastOne = (alarmId: string, metric: IMetric, description: string) => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };

    for (const fn of props.functions) {
      const id = fn.node.scope?.node.id ?? fn.node.id;
      atLeastOne(`${id}Errors`, fn.metricErrors({ period: PERIOD }), `${fn.handlerName} threw errors`);
      atLeastOne(`${id}Throttles`, fn.metricThrottles({ period: PERIOD }), `${fn.handlerName} was throttled`);
    }
    for (const queue of props.deadLetterQueues) {
      atLeastOne(
        `${queue.node.scope?.node.id ?? ""}${queue.node.id}Messages`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: "Maximum" }),
        `Messages waiting in a dead-letter queue (${queue.purpose})`,
      );
    }

    for (const queue of props.eventQueues) {
      const alarm = new Alarm(this, `${queue.node.scope?.node.id ?? ""}${queue.node.id}Age`, {
        metric: queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: "Maximum" }),
        threshold: MAX_QUEUE_AGE.toSeconds(),
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `Events waited ${MAX_QUEUE_AGE.toMinutes()} minutes or more for their consumer`,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    }

    const dashboard = new Dashboard(this, "Dashboard", { dashboardName: `patron-${props.envName}` });
    const perFunction = (metric: (fn: PatronFunction) => IMetric) => props.functions.map(metric);
    dashboard.addWidgets(
      new GraphWidget({
        title: "Invocations",
        left: perFunction((fn) => fn.metricInvocations({ period: PERIOD, label: fn.handlerName })),
        width: 12,
      }),
      new GraphWidget({
        title: "Errors and throttles",
        left: perFunction((fn) => fn.metricErrors({ period: PERIOD, label: `${fn.handlerName} errors` })),
        right: perFunction((fn) =>
          fn.metricThrottles({ period: PERIOD, label: `${fn.handlerName} throttles` }),
        ),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: "Duration p95 (ms)",
        left: perFunction((fn) =>
          fn.metricDuration({ period: PERIOD, statistic: "p95", label: fn.handlerName }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: "HTTP API",
        left: [
          props.api.metricCount({ period: PERIOD }),
          props.api.metricClientError({ period: PERIOD }),
          props.api.metricServerError({ period: PERIOD }),
        ],
        right: [props.api.metricLatency({ period: PERIOD, statistic: "p95" })],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new SingleValueWidget({
        title: "Dead-letter queues (messages waiting)",
        metrics: props.deadLetterQueues.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: "Maximum",
            label: queue.purpose,
          }),
        ),
        width: 24,
      }),
    );
  }
}
