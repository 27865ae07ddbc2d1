import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
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
