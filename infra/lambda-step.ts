import type { Duration } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { TaskInput } from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import type { Construct } from "constructs";

/**
 * A state machine step that invokes a Patron function with a payload and keeps its answer at `resultPath`. A
 * handler error (a throttled table, members whose writes kept failing) is tried again 3 times, backing off ×2
 * from `retryAfter`: every step of Patron's runs (grants, imports) resumes where it stopped.
 */
export function lambdaStep(
  scope: Construct,
  name: string,
  step: { fn: IFunction; payload: Record<string, unknown>; resultPath: string; retryAfter: Duration },
): LambdaInvoke {
  const task = new LambdaInvoke(scope, name, {
    lambdaFunction: step.fn,
    payload: TaskInput.fromObject(step.payload),
    payloadResponseOnly: true,
    resultPath: step.resultPath,
    retryOnServiceExceptions: true,
  });
  task.addRetry({ errors: ["States.TaskFailed"], interval: step.retryAfter, maxAttempts: 3, backoffRate: 2 });
  return task;
}
