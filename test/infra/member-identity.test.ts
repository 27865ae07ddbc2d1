import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import type { PatronStack } from "../../infra/patron-stack";
import { grantsOfRole, logicalId, render, SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

// Members' tokens carry their member id: the members' user pool runs the pre-token-generation function
// (event version 2, which can change the access token the API reads), and that function can read the links
// and the e-mail index and write a link; the marketers' pool has no such trigger.

let stack: PatronStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthPatron());
}, SYNTH_TIMEOUT_MS);

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are inspected loosely in tests
type Resource = { Type: string; Properties: any };
const resources = () => template.toJSON().Resources as Record<string, Resource>;
const preToken = () => stack.stateless.functionFor("pre-token-generation");

describe("pre-token-generation trigger", () => {
  it("is the members' pool's V2_0 pre-token trigger, and the only pool trigger", () => {
    const members = resources()[logicalId(stack.stateful.userPool)]?.Properties;
    expect(members?.LambdaConfig.PreTokenGenerationConfig).toEqual({
      LambdaArn: { "Fn::GetAtt": [logicalId(preToken()), "Arn"] },
      LambdaVersion: "V2_0",
    });
    const pools = Object.entries(resources()).filter(([, r]) => r.Type === "AWS::Cognito::UserPool");
    const withTriggers = pools.filter(([, r]) => r.Properties.LambdaConfig !== undefined).map(([id]) => id);
    expect(withTriggers).toEqual([logicalId(stack.stateful.userPool)]);
  });

  it("may be invoked by Cognito for the members' pool only", () => {
    const permissions = Object.values(resources()).filter(
      (r) =>
        r.Type === "AWS::Lambda::Permission" &&
        render(r.Properties.FunctionName) === `<${logicalId(preToken())}.Arn>`,
    );
    expect(permissions.map((p) => [p.Properties.Principal, render(p.Properties.SourceArn)])).toEqual([
      ["cognito-idp.amazonaws.com", `<${logicalId(stack.stateful.userPool)}.Arn>`],
    ]);
  });

  it("reads and writes the table (links) and queries its e-mail index, nothing else", () => {
    const role = preToken().role;
    if (!role) throw new Error("no role");
    const table = `<${logicalId(stack.stateful.table)}.Arn>`;
    const grants = grantsOfRole(template, logicalId(role)).filter((g) => !g.action.startsWith("logs:"));
    const actions = grants.map((g) => `${g.action} ${g.resource}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `dynamodb:GetItem ${table}`,
        `dynamodb:PutItem ${table}`,
        `dynamodb:ConditionCheckItem ${table}`,
        `dynamodb:Query ${table}/index/GSI1`,
      ]),
    );
    expect(new Set(grants.map((g) => g.action.split(":")[0]))).toEqual(new Set(["dynamodb"]));
  });

  it("answers within Cognito's 5 s and knows its table", () => {
    const props = resources()[logicalId(preToken())]?.Properties;
    expect(props.Timeout).toBeLessThanOrEqual(5);
    expect(render(props.Environment.Variables.TABLE_NAME)).toBe(`<${logicalId(stack.stateful.table)}>`);
  });
});
