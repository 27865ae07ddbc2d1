import { type CfnElement, CfnOutput, Duration, type RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  Choice,
  Condition,
  DefinitionBody,
  JsonPath,
  LogLevel,
  Map as MapState,
  StateMachine,
  Succeed,
  TaskInput,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { PatronFunction } from "./patron-function";

/*
 * A bulk grant's run in AWS (README "Bulk grants"): start → a Map over the grant's parts (Scan segments or
 * list chunks), each part one Lambda invocation after another (a page budget each) until it answers done →
 * finish. Parts run in parallel, so a grant scales past one Lambda's 15 minutes and one Lambda's throughput;
 * a failed part is retried by the state, and a run started again (same input) resumes: every step of the runner
 * is idempotent. Started with `aws stepfunctions start-execution --input '{"grantId": "<id>"}'`.
 */

export interface GrantRunsProps {
  readonly runner: PatronFunction;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Parts run at once (the Map's MaxConcurrency). */
  readonly maxConcurrency?: number;
}

export const GRANT_PART_CONCURRENCY = 8;

export class GrantRuns extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: GrantRunsProps) {
    super(scope, id);
    const { runner } = props;
    const invoke = (name: string, payload: Record<string, unknown>, resultPath: string) => {
      const task = new LambdaInvoke(this, name, {
        lambdaFunction: runner,
        payload: TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        resultPath,
        retryOnServiceExceptions: true,
      });
      // A handler error (throttled table, a page whose members failed) is tried again; the step resumes.
      task.addRetry({
        errors: ["States.TaskFailed"],
        interval: Duration.seconds(20),
        maxAttempts: 3,
        backoffRate: 2,
      });
      return task;
    };
    const grantId = JsonPath.stringAt("$.grantId");
    const start = invoke("Start", { action: "start", grantId }, "$.run");
    const part = invoke(
      "RunPart",
      { action: "part", grantId, part: JsonPath.numberAt("$.part") },
      "$.result",
    );
    const partDone = new Choice(this, "PartDone")
      .when(Condition.booleanEquals("$.result.done", false), part)
      .otherwise(new Succeed(this, "PartFinished"));
    const parts = new MapState(this, "RunParts", {
      itemsPath: "$.run.parts",
      maxConcurrency: props.maxConcurrency ?? GRANT_PART_CONCURRENCY,
      resultPath: JsonPath.DISCARD,
    });
    parts.itemProcessor(part.next(partDone));
    const finish = invoke(
      "Finish",
      { action: "finish", grantId, error: JsonPath.objectAt("$.error") },
      "$.report",
    );
    const finishOk = invoke("FinishRun", { action: "finish", grantId }, "$.report");
    // A part that kept failing: the grant is marked failed (with why); starting the run again resumes it.
    parts.addCatch(finish, { resultPath: "$.error" });

    const logs = new LogGroup(this, "Logs", {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stateMachine = new StateMachine(this, "StateMachine", {
      comment: "Patron bulk grant run: each part of the audience until done, then the grant's status",
      definitionBody: DefinitionBody.fromChainable(start.next(parts).next(finishOk)),
      timeout: Duration.hours(24),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    new CfnOutput(this, "Arn", {
      description: 'Bulk grant runs: aws stepfunctions start-execution --input \'{"grantId": "<id>"}\'',
      value: this.stateMachine.stateMachineArn,
    });

    const role = this.stateMachine.role;
    const functionLogicalId = Stack.of(runner).getLogicalId(runner.node.defaultChild as CfnElement);
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
        reason: `lambda:InvokeFunction on ${runner.handlerName}'s qualified ARNs (versions/aliases), added by the Step Functions Lambda task grant.`,
      },
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Step Functions log delivery (logs:CreateLogDelivery and friends) and X-Ray tracing support no resource-level permissions.",
      },
    );
  }
}
