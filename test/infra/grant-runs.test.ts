import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { approvedGrantRecordPattern, GRANT_ID_RECORD_PATH } from "../../functions/grants/grant-start-filter";
import { GRANT_PART_CONCURRENCY } from "../../infra/grant-runs";
import type { PatronStack } from "../../infra/patron-stack";
import { logicalId, SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

// The bulk grant state machine: start, a Map over the grant's parts that invokes the runner for a part again
// until it is done, then finish — every step the grant runner, logged and traced.

let stack: PatronStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthPatron());
}, SYNTH_TIMEOUT_MS);

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Parameters?: Record<string, unknown>;
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
  MaxConcurrency?: number;
  ItemsPath?: string;
  Catch?: { Next: string }[];
  Choices?: { Variable: string; BooleanEquals: boolean; Next: string }[];
  Retry?: { ErrorEquals: string[] }[];
}

/** The definition with the function's ARN reference rendered as a marker. */
function definition(): { StartAt: string; States: Record<string, State> } {
  const [machine] = Object.values(template.findResources("AWS::StepFunctions::StateMachine"));
  const parts = (machine?.Properties.DefinitionString["Fn::Join"][1] ?? []) as unknown[];
  const text = parts.map((p) => (typeof p === "string" ? p : "<runner>")).join("");
  return JSON.parse(text);
}

describe("grant runs", () => {
  it("starts, maps over the parts (looping a part until done), and finishes, each through the grant runner", () => {
    const { StartAt, States } = definition();
    const start = States[StartAt];
    expect(start?.Parameters).toMatchObject({ action: "start", "grantId.$": "$.grantId" });
    const map = States[start?.Next ?? ""];
    expect(map).toMatchObject({
      Type: "Map",
      ItemsPath: "$.run.parts",
      MaxConcurrency: GRANT_PART_CONCURRENCY,
    });
    const inner = map?.ItemProcessor;
    const part = inner?.States[inner.StartAt];
    expect(part?.Parameters).toMatchObject({ action: "part", "part.$": "$.part" });
    expect(part?.Retry?.some((r) => r.ErrorEquals.includes("States.TaskFailed"))).toBe(true);
    const choice = inner?.States[part?.Next ?? ""];
    expect(choice?.Choices).toEqual([
      { Variable: "$.result.done", BooleanEquals: false, Next: inner?.StartAt },
    ]);
    const finish = States[map?.Next ?? ""];
    expect(finish?.Parameters).toMatchObject({ action: "finish" });
    const onFailure = States[map?.Catch?.[0]?.Next ?? ""];
    expect(onFailure?.Parameters).toMatchObject({ action: "finish", "error.$": "$.error" });
  });

  it("logs every execution and traces it with X-Ray", () => {
    template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: "ALL", IncludeExecutionData: false }),
    });
  });

  it("may invoke the grant runner and nothing else", () => {
    const runner = logicalId(stack.stateless.functionFor("grant-runner"));
    const policies = template.findResources("AWS::IAM::Policy", {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp("GrantRunnerRuns") }] },
    });
    const invoked = JSON.stringify(
      Object.values(policies).flatMap((p) =>
        p.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
          JSON.stringify(s.Action).includes("lambda:InvokeFunction"),
        ),
      ),
    );
    expect(invoked).toContain(runner);
    expect(invoked.match(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/g)?.every((m) => m.includes(runner))).toBe(
      true,
    );
  });
});

describe("grant runs start on approval", () => {
  interface PipeProps {
    Source: unknown;
    RoleArn: { "Fn::GetAtt": [string, string] };
    SourceParameters: {
      FilterCriteria: { Filters: { Pattern: string }[] };
      DynamoDBStreamParameters: unknown;
    };
    Target: unknown;
    TargetParameters: unknown;
  }
  const pipe = (): PipeProps => {
    const resources = Object.values(template.findResources("AWS::Pipes::Pipe"));
    expect(resources).toHaveLength(1);
    return resources[0]?.Properties as PipeProps;
  };

  it("reads the table stream for approved grants only and starts the state machine with the grant id", () => {
    const props = pipe();
    const table = logicalId(stack.stateful.table);
    expect(props.Source).toEqual({ "Fn::GetAtt": [table, "StreamArn"] });
    const filters = props.SourceParameters.FilterCriteria.Filters.map((f: { Pattern: string }) =>
      JSON.parse(f.Pattern),
    );
    expect(filters).toEqual([approvedGrantRecordPattern]);
    expect(props.SourceParameters.DynamoDBStreamParameters).toMatchObject({
      StartingPosition: "LATEST",
      BatchSize: 1,
      DeadLetterConfig: { Arn: expect.anything() },
    });
    const machine = Object.keys(template.findResources("AWS::StepFunctions::StateMachine"))[0];
    expect(props.Target).toEqual({ Ref: machine });
    expect(props.TargetParameters).toEqual({
      InputTemplate: `{"grantId": "<${GRANT_ID_RECORD_PATH}>"}`,
      StepFunctionStateMachineParameters: { InvocationType: "FIRE_AND_FORGET" },
    });
  });

  it("its role reads only the stream and starts only the grant state machine", () => {
    const props = pipe();
    const role = props.RoleArn["Fn::GetAtt"][0];
    const statements = Object.values(
      template.findResources("AWS::IAM::Policy", { Properties: { Roles: [{ Ref: role }] } }),
    ).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const machine = Object.keys(template.findResources("AWS::StepFunctions::StateMachine"))[0];
    const start = statements.find((s) => s.Action === "states:StartExecution");
    expect(start?.Resource).toEqual({ Ref: machine });
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => !a.startsWith("dynamodb:") && !a.startsWith("sqs:"))).toEqual([
      "states:StartExecution",
    ]);
    expect(actions).not.toContain("dynamodb:PutItem");
  });
});
