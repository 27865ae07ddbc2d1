import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { DEVELOPMENT_SIGN_IN_URLS, parseSender } from "../../infra/config";
import { Stateful } from "../../infra/stateful";
import { createTableInput, TABLE_DEFINITION } from "../../infra/table-definition";
import { cdkContext, logicalId, SYNTH_TIMEOUT_MS, TEST_ENV } from "./synth-patron";

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

function synthStateful(envName: string, sender = "loyalty@shop.example") {
  const stack = new Stack(new App({ context: cdkContext }), `Stateful-${envName}`, { env: TEST_ENV });
  const stateful = new Stateful(stack, "Stateful", {
    envName,
    production: envName === "prod",
    sender: parseSender(sender),
    signInUrls: DEVELOPMENT_SIGN_IN_URLS,
  });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const only = (type: string): Resource => {
    const found = Object.values(resources).filter((resource) => resource.Type === type);
    expect(found, type).toHaveLength(1);
    return found[0] as Resource;
  };
  return { stack, stateful, template, only };
}

let dev: ReturnType<typeof synthStateful>;
let prod: ReturnType<typeof synthStateful>;

beforeAll(() => {
  dev = synthStateful("dev");
  prod = synthStateful("prod", "shop.example");
}, SYNTH_TIMEOUT_MS);

describe("DynamoDB table", () => {
  it("has point-in-time recovery on in every environment", () => {
    for (const env of [dev, prod]) {
      expect(env.only("AWS::DynamoDB::Table").Properties.PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
    }
  });

  it("is deletion-protected and retained in prod only", () => {
    const prodTable = prod.only("AWS::DynamoDB::Table");
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);
    expect(prodTable.DeletionPolicy).toBe("Retain");
    const devTable = dev.only("AWS::DynamoDB::Table");
    expect(devTable.Properties.DeletionProtectionEnabled).toBe(false);
    expect(devTable.DeletionPolicy).toBe("Delete");
  });

  it("matches the local table definition: keys, attributes, indexes, stream, billing and TTL", () => {
    const input = createTableInput("ignored");
    const props = dev.only("AWS::DynamoDB::Table").Properties;
    const byName = (list: unknown) =>
      [...(list as { AttributeName: string }[])].sort((a, b) =>
        a.AttributeName.localeCompare(b.AttributeName),
      );
    expect(props.KeySchema).toEqual(input.KeySchema);
    expect(byName(props.AttributeDefinitions)).toEqual(byName(input.AttributeDefinitions));
    expect(props.GlobalSecondaryIndexes).toEqual(input.GlobalSecondaryIndexes);
    expect(props.BillingMode).toBe(input.BillingMode);
    expect(props.StreamSpecification).toEqual({ StreamViewType: input.StreamSpecification?.StreamViewType });
    expect(props.TimeToLiveSpecification).toEqual({
      AttributeName: TABLE_DEFINITION.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it("leaves the stream out of the local table input only when asked, and nothing else", () => {
    const { StreamSpecification, ...rest } = createTableInput("t-1");
    expect(StreamSpecification?.StreamEnabled).toBe(true);
    expect(createTableInput("t-1", { stream: true })).toEqual(createTableInput("t-1"));
    expect(createTableInput("t-1", { stream: false })).toEqual(rest);
  });
});

describe("event bus", () => {
  it("archives every event of this account for replay", () => {
    const archive = dev.only("AWS::Events::Archive").Properties;
    expect(archive.SourceArn).toEqual({ "Fn::GetAtt": [logicalId(dev.stateful.bus), "Arn"] });
    expect(archive.EventPattern).toEqual({ account: [TEST_ENV.account] });
    expect(archive.RetentionDays).toBeGreaterThan(0);
  });
});

describe("SES", () => {
  it("suppresses bounces and complaints in the configuration set", () => {
    const configSet = dev.only("AWS::SES::ConfigurationSet").Properties;
    expect(configSet.SuppressionOptions).toEqual({ SuppressedReasons: ["BOUNCE", "COMPLAINT"] });
  });

  it("publishes bounces, complaints and rejects to the default bus (the only bus SES supports)", () => {
    const destination = dev.only("AWS::SES::ConfigurationSetEventDestination").Properties
      .EventDestination as Record<string, unknown>;
    expect(destination.Enabled).toBe(true);
    expect(destination.MatchingEventTypes).toEqual(["bounce", "complaint", "reject"]);
    expect(JSON.stringify(destination.EventBridgeDestination)).toContain(":event-bus/default");
  });

  it("verifies an e-mail address or a domain identity, attached to the configuration set", () => {
    const emailIdentity = dev.only("AWS::SES::EmailIdentity").Properties;
    expect(emailIdentity.EmailIdentity).toBe("loyalty@shop.example");
    expect(emailIdentity.ConfigurationSetAttributes).toEqual({
      ConfigurationSetName: { Ref: logicalId(dev.stateful.configurationSet) },
    });
    expect(prod.only("AWS::SES::EmailIdentity").Properties.EmailIdentity).toBe("shop.example");
    expect(prod.stateful.email.senderAddress).toBe("loyalty@shop.example");
  });
});

describe("Cognito", () => {
  it("has the members group in the members' pool, marketers and auditor in the marketers' pool", () => {
    const groups = (pool: unknown) =>
      Object.values(dev.template.findResources("AWS::Cognito::UserPoolGroup"))
        .filter((group) => JSON.stringify(group.Properties.UserPoolId) === JSON.stringify(pool))
        .map((group) => group.Properties.GroupName)
        .sort();
    expect(groups({ Ref: logicalId(dev.stateful.userPool) })).toEqual(["members"]);
    expect(groups({ Ref: logicalId(dev.stateful.marketers.userPool) })).toEqual(["auditor", "marketers"]);
  });

  it("requires strong passwords, and both pools are deletion-protected and retained in prod", () => {
    const pools = Object.values(prod.template.findResources("AWS::Cognito::UserPool"));
    expect(pools).toHaveLength(2);
    for (const each of pools) {
      expect(each.Properties.DeletionProtection).toBe("ACTIVE");
      expect(each.DeletionPolicy).toBe("Retain");
    }
    const pool = prod.template.toJSON().Resources[logicalId(prod.stateful.userPool)] as Resource;
    expect(
      (pool.Properties.Policies as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy,
    ).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
  });
});
