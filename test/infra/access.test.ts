import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { inboundEvents } from "../../events/catalog";
import { createDeps, createRoutes, publicRouteKeys } from "../../functions/http/app";
import { PUBLIC_ROUTES } from "../../infra/http-api";
import { DRAFT4_URI } from "../../infra/json-schema-draft4";
import type { PatronStack } from "../../infra/patron-stack";
import { grantsOfRole, logicalId, render, SYNTH_TIMEOUT_MS, synthPatron, TEST_ENV } from "./synth-patron";

// biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped; tests walk it by known CloudFormation property names.
type Resource = { Type: string; Properties: Record<string, any> };

const producers = [
  { name: "pos", sources: ["retail.pos.*"], accountIds: ["111111111111"] },
  { name: "web", sources: ["retail.web.*", "retail.app.*"] },
];

let app: App;
let stack: PatronStack;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  ({ app, stack, template } = synthPatron({ producers }));
  resources = template.toJSON().Resources;
}, SYNTH_TIMEOUT_MS);

const ofType = (type: string) => Object.values(resources).filter((resource) => resource.Type === type);

describe("HTTP API", () => {
  it("requires the Cognito JWT authorizer on every route except health, OpenAPI and one-click unsubscribe", () => {
    const authorizers = ofType("AWS::ApiGatewayV2::Authorizer");
    expect(authorizers).toHaveLength(1);
    const authorizerId = logicalId(stack.stateless.httpApi.node.findChild("Api").node.findChild("Cognito"));
    const routes = ofType("AWS::ApiGatewayV2::Route").map((route) => route.Properties);
    const publicKeys = routes
      .filter((route) => route.AuthorizationType === "NONE")
      .map((route) => route.RouteKey);
    expect(publicKeys.sort()).toEqual([
      "GET /health",
      "GET /openapi.json",
      "GET /unsubscribe",
      "POST /resubscribe",
      "POST /unsubscribe",
    ]);
    const privateRoutes = routes.filter((route) => route.AuthorizationType !== "NONE");
    expect(privateRoutes.map((route) => route.RouteKey)).toContain("$default");
    for (const route of privateRoutes) {
      expect(route.AuthorizationType, route.RouteKey).toBe("JWT");
      expect(route.AuthorizerId, route.RouteKey).toEqual({ Ref: authorizerId });
    }
  });

  it("leaves open exactly the routes the handler serves without a login", () => {
    const config = { tableName: "patron", signingSecret: "s".repeat(32), maxBodyBytes: 65_536 };
    const deps = createDeps(config, new DynamoDBClient({ region: TEST_ENV.region }));
    const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
    expect(PUBLIC_ROUTES.map(key).sort()).toEqual(publicRouteKeys(createRoutes(deps)).map(key).sort());
  });

  it("accepts only tokens from Patron's user pool for its web client", () => {
    const authorizer = ofType("AWS::ApiGatewayV2::Authorizer")[0]?.Properties;
    expect(authorizer?.AuthorizerType).toBe("JWT");
    expect(render(authorizer?.JwtConfiguration.Issuer)).toContain(`<${logicalId(stack.stateful.userPool)}>`);
    expect(authorizer?.JwtConfiguration.Audience.map(render)).toEqual([
      `<${logicalId(stack.stateful.userPoolClient)}>`,
    ]);
  });

  it("logs access and throttles the default stage", () => {
    const stage = ofType("AWS::ApiGatewayV2::Stage")[0]?.Properties;
    expect(stage?.StageName).toBe("$default");
    expect(stage?.AccessLogSettings.DestinationArn).toBeDefined();
    expect(stage?.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
  });
});

describe("producer roles", () => {
  it.each(producers.map((producer) => [producer.name, producer] as const))(
    "%s may only PutEvents on Patron's bus, with its own sources and inbound detail types",
    (name, producer) => {
      const role = stack.producerAccess.roles.get(name);
      if (!role) throw new Error(`no role for ${name}`);
      const grants = grantsOfRole(template, logicalId(role));
      expect(grants).toEqual([
        {
          action: "events:PutEvents",
          resource: `<${logicalId(stack.stateful.bus)}.Arn>`,
          condition: {
            StringLike: { "events:source": producer.sources },
            StringEquals: {
              "events:detail-type": Object.values(inboundEvents).map((definition) => definition.detailType),
            },
          },
        },
      ]);
      const trust = resources[logicalId(role)]?.Properties.AssumeRolePolicyDocument.Statement;
      const account = producer.accountIds?.[0] ?? "123456789012";
      expect(trust).toHaveLength(1);
      expect(render(trust[0].Principal.AWS)).toMatch(new RegExp(`:iam::${account}:root$`));
      expect(resources[logicalId(role)]?.Properties.ManagedPolicyArns).toBeUndefined();
    },
  );
});

describe("schema registry", () => {
  it.each(Object.values(inboundEvents).map((definition) => [definition.detailType, definition] as const))(
    "publishes %s as JSON Schema Draft 4 of the full event",
    (detailType, definition) => {
      const schema = ofType("AWS::EventSchemas::Schema").find((resource) =>
        resource.Properties.SchemaName.includes(detailType.replace(/\s+/g, "")),
      );
      expect(schema?.Properties.Type).toBe("JSONSchemaDraft4");
      const content = JSON.parse(schema?.Properties.Content);
      expect(content.$schema).toBe(DRAFT4_URI);
      expect(content.properties["detail-type"]).toEqual({ type: "string", enum: [definition.detailType] });
      expect(content.properties.detail.properties.schemaVersion).toEqual({
        type: "string",
        enum: [definition.version],
      });
      expect(JSON.stringify(content)).not.toMatch(/"(const|\$defs|\$id|propertyNames)":/);
    },
  );
});

describe("cdk-nag AwsSolutions", () => {
  it("reports no unacknowledged findings", () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
  });
});
