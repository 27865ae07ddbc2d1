import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { MARKETER_GROUPS } from "../../infra/marketer-accounts";
import type { PatronStack } from "../../infra/patron-stack";
import { logicalId, SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

// Marketers have a user pool of their own (Cognito sets MFA per pool): admin-created accounts with TOTP
// required, while members keep self sign-up with MFA optional.

// biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped; tests walk it by known CloudFormation property names.
type Resource = { Type: string; Properties: Record<string, any> };

let stack: PatronStack;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  ({ stack, template } = synthPatron());
  resources = template.toJSON().Resources;
}, SYNTH_TIMEOUT_MS);

const pool = (construct: Parameters<typeof logicalId>[0]) =>
  resources[logicalId(construct)]?.Properties ?? {};

describe("marketer accounts", () => {
  it("require TOTP MFA at every sign-in, with no SMS factor", () => {
    const marketers = pool(stack.stateful.marketers.userPool);
    expect(marketers.MfaConfiguration).toBe("ON");
    expect(marketers.EnabledMfas).toEqual(["SOFTWARE_TOKEN_MFA"]);
  });

  it("are created by an administrator only: no self sign-up", () => {
    expect(pool(stack.stateful.marketers.userPool).AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
  });

  it("are kept apart from members, who sign themselves up with MFA optional", () => {
    const members = pool(stack.stateful.userPool);
    expect(members.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(false);
    expect(members.MfaConfiguration).toBe("OPTIONAL");
    expect(logicalId(stack.stateful.userPool)).not.toBe(logicalId(stack.stateful.marketers.userPool));
  });

  it("has the marketers and auditor groups in the marketers' pool", () => {
    const groups = Object.values(resources)
      .filter((r) => r.Type === "AWS::Cognito::UserPoolGroup")
      .filter((r) => r.Properties.UserPoolId?.Ref === logicalId(stack.stateful.marketers.userPool))
      .map((r) => r.Properties.GroupName)
      .sort();
    expect(groups).toEqual([MARKETER_GROUPS.auditor, MARKETER_GROUPS.marketers]);
  });

  it("lets no app client in either pool use the implicit flow", () => {
    const clients = Object.values(resources).filter((r) => r.Type === "AWS::Cognito::UserPoolClient");
    expect(clients.length).toBeGreaterThanOrEqual(3);
    for (const client of clients) expect(client.Properties.AllowedOAuthFlows ?? []).not.toContain("implicit");
  });

  it("outputs the marketers' pool id, where an administrator adds a marketer", () => {
    expect(template.toJSON().Outputs.MarketerUserPoolId.Value).toEqual({
      Ref: logicalId(stack.stateful.marketers.userPool),
    });
  });
});
