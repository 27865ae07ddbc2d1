import { type CfnElement, CfnOutput, Duration, type RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { CfnPipe } from "aws-cdk-lib/aws-pipes";
import {
  Choice,
  Condition,
  DefinitionBody,
  JsonPath,
  LogLevel,
  Map as MapState,
  StateMachine,
  Succeed,
} from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { approvedGrantRecordPattern, GRANT_ID_RECORD_PATH } from "../functions/grants/grant-start-filter";
import { DeadLetterQueue } from "./dead-letter-queue";
import { lambdaStep } from "./lambda-step";
import type { PatronFunction } from "./patron-function";

/*
 * A bulk grant's run in AWS (README "Bulk grants"): start → a Map over the grant's parts (Scan segments or
 * list chunks), each part one Lambda invocation after another (a page budget each) until it answers done →
 * finish. Parts run in parallel, so a grant scales past one Lambda's 15 minutes and one Lambda's throughput;
 * a failed part is retried by the state, and a run started again (same input) resumes: every step of the runner
 * is idempotent. An approval starts it: a Pipe from the table stream (functions/grants/grant-start-filter.ts)
 * starts an execution for each grant written as approved; `aws stepfunctions start-execution --input
 * '{"grantId": "<id>"}'` resumes one that failed.
 */

export interface GrantRunsProps {
  readonly runner: PatronFunction;
  /** The table whose stream carries grants' approvals. */
  readonly table: ITable;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Parts run at once (the Map's MaxConcurrency). */
  readonly maxConcurrency?: number;
}

export const GRANT_PART_CONCURRENCY = 8;

export class GrantRuns extends Construct {
  readonly stateMachine: StateMachine;
  /** Approvals the Pipe could not turn into an execution. */
  readonly startFailures: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: GrantRunsProps) {
    super(scope, id);
    const { runner } = props;
    const invoke = (name: string, payload: Record<string, unknown>, resultPath: string) =>
      lambdaStep(this, name, { fn: runner, payload, resultPath, retryAfter: Duration.seconds(20) });
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
      description:
        'Bulk grant runs (started on approval; to resume a failed one: aws stepfunctions start-execution --input \'{"grantId": "<id>"}\')',
      value: this.stateMachine.stateMachineArn,
    });

    this.startFailures = this.startOnApproval(props.table);

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

  /** Table stream → (approved grants only) → an execution with `{"grantId": …}`, fire and forget. */
  private startOnApproval(table: ITable): DeadLetterQueue {
    const streamArn = table.tableStreamArn;
    if (streamArn === undefined)
      throw new Error("GrantRuns: the table needs a stream to start runs on approval");
    const failures = new DeadLetterQueue(
      this,
      "StartDlq",
      "bulk grants approved but not started (table stream → Pipe)",
    );
    const role = new Role(this, "StartRole", {
      assumedBy: new ServicePrincipal("pipes.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
      description: "Lets the Pipe read the table stream and start bulk grant runs",
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
        resources: [streamArn],
      }),
    );
    role.addToPolicy(new PolicyStatement({ actions: ["dynamodb:ListStreams"], resources: ["*"] }));
    role.addToPolicy(
      new PolicyStatement({
        actions: ["states:StartExecution"],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    failures.grantSendMessages(role);
    new CfnPipe(this, "StartOnApproval", {
      description: "Starts a bulk grant's run when its grant is stored or decided as approved",
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          // Only approvals from now on: an old approval's run was started (or resumed) by then.
          startingPosition: "LATEST",
          batchSize: 1,
          maximumRetryAttempts: 10,
          maximumRecordAgeInSeconds: 86_400,
          deadLetterConfig: { arn: failures.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(approvedGrantRecordPattern) }] },
      },
      target: this.stateMachine.stateMachineArn,
      targetParameters: {
        inputTemplate: `{"grantId": "<${GRANT_ID_RECORD_PATH}>"}`,
        stepFunctionStateMachineParameters: { invocationType: "FIRE_AND_FORGET" },
      },
    });
    Validations.of(role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "dynamodb:ListStreams, which a stream source needs, has no resource-level permissions; reads are limited to this table's stream ARN.",
    });
    return failures;
  }
}
