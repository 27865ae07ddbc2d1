import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { inboundEvents } from "../../events/catalog";
import { createDeps, createRoutes, publicRouteKeys } from "../../functions/http/app";
import { DEFAULT_PRODUCER_DETAIL_TYPES } from "../../infra/config";
import { MEMBER_ROUTE_KEYS, PUBLIC_ROUTES, ROUTE_THROTTLES } from "../../infra/http-api";
import { DRAFT4_URI } from "../../infra/json-schema-draft4";
import type { PatronStack } from "../../infra/patron-stack";
import { grantsOfRole, logicalId, render, SYNTH_TIMEOUT_MS, synthPatron, TEST_ENV } from "./synth-patron";

// biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped; tests walk it by known CloudFormation property names.
type Resource = { Type: string; Properties: Record<string, any> };

const WEB_SHOP_ROLE = "arn:aws:iam::123456789012:role/web-shop";
const producers = [
  { name: "pos", sources: ["retail.pos.*"], accountIds: ["111111111111"] },
  {
    name: "web",
    sources: ["retail.web.*", "retail.app.*"],
    detailTypes: [...DEFAULT_PRODUCER_DETAIL_TYPES, "Member Enrolled", "Member Updated"],
    principalArns: [WEB_SHOP_ROLE],
    refundAuthority: true,
  },
  { name: "kiosk", sources: ["retail.kiosk.*"] },
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
  it("requires a Cognito JWT authorizer on every route except health, OpenAPI and one-click unsubscribe", () => {
    const api = stack.stateless.httpApi.node.findChild("Api").node;
    const memberAuthorizer = logicalId(api.findChild("MemberTokens"));
    const marketerAuthorizer = logicalId(api.findChild("MarketerTokens"));
    expect(ofType("AWS::ApiGatewayV2::Authorizer")).toHaveLength(2);
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
      const member = (MEMBER_ROUTE_KEYS as readonly string[]).includes(route.RouteKey);
      expect(route.AuthorizerId, route.RouteKey).toEqual({
        Ref: member ? memberAuthorizer : marketerAuthorizer,
      });
    }
  });

  it("leaves open exactly the routes the handler serves without a login", async () => {
    const config = { tableName: "patron", signingSecret: "s".repeat(32), maxBodyBytes: 65_536 };
    const deps = createDeps(config, new DynamoDBClient({ region: TEST_ENV.region }));
    const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
    const served = publicRouteKeys(await createRoutes(deps));
    expect(PUBLIC_ROUTES.map(key).sort()).toEqual(served.map(key).sort());
  });

  it("lets no client use the implicit flow; the web client redirects to the configured URLs", () => {
    const clients = ofType("AWS::Cognito::UserPoolClient").map((client) => client.Properties);
    expect(clients.length).toBeGreaterThan(0);
    for (const client of clients) {
      expect(client.AllowedOAuthFlows).not.toContain("implicit");
      for (const url of [...(client.CallbackURLs ?? []), ...(client.LogoutURLs ?? [])])
        expect(render(url)).not.toMatch(/example\.com/);
    }
    const web = resources[logicalId(stack.stateful.userPoolClient)]?.Properties;
    expect(web?.AllowedOAuthFlows).toEqual(["code"]);
    expect(web?.GenerateSecret).toBe(false);
    expect(web?.CallbackURLs).toEqual(["http://localhost:3000/auth/callback"]);
  });

  it("takes members' tokens on member routes and marketers' (console, producer services) everywhere else", () => {
    const api = stack.stateless.httpApi.node.findChild("Api").node;
    const config = (id: string) => resources[logicalId(api.findChild(id))]?.Properties.JwtConfiguration;
    const members = config("MemberTokens");
    expect(render(members.Issuer)).toContain(`<${logicalId(stack.stateful.userPool)}>`);
    expect(members.Audience.map(render)).toEqual([`<${logicalId(stack.stateful.userPoolClient)}>`]);
    const marketers = config("MarketerTokens");
    expect(render(marketers.Issuer)).toContain(`<${logicalId(stack.stateful.marketers.userPool)}>`);
    // addClient puts a client under its pool: the producers' one sits in the marketers' pool.
    const producerClient = stack.stateful.marketers.userPool.node.findChild("ProducerServiceClient");
    expect(marketers.Audience.map(render)).toEqual([
      `<${logicalId(stack.console.client)}>`,
      `<${logicalId(producerClient)}>`,
    ]);
  });

  it("throttles member routes, marketer routes and the unsubscribe link separately", () => {
    const stage = ofType("AWS::ApiGatewayV2::Stage")[0]?.Properties;
    const settings = stage?.RouteSettings as Record<string, Record<string, number>>;
    const limits = (throttle: { rateLimit: number; burstLimit: number }) => ({
      ThrottlingRateLimit: throttle.rateLimit,
      ThrottlingBurstLimit: throttle.burstLimit,
    });
    expect(MEMBER_ROUTE_KEYS).toEqual(["ANY /me", "ANY /me/{proxy+}"]);
    for (const key of MEMBER_ROUTE_KEYS) expect(settings[key], key).toEqual(limits(ROUTE_THROTTLES.member));
    expect(settings.$default).toEqual(limits(ROUTE_THROTTLES.marketer));
    for (const key of ["GET /unsubscribe", "POST /unsubscribe", "POST /resubscribe"]) {
      expect(settings[key], key).toEqual(limits(ROUTE_THROTTLES.unsubscribe));
    }
    const routeKeys = ofType("AWS::ApiGatewayV2::Route").map((route) => route.Properties.RouteKey);
    for (const key of Object.keys(settings)) expect(routeKeys, key).toContain(key);
  });

  it("reserves concurrency for the HTTP function so it cannot starve the event consumers", () => {
    const api = stack.stateless.functions.get("http-api");
    if (!api) throw new Error("no http-api function");
    expect(resources[logicalId(api)]?.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
    const consumer = stack.stateless.functions.get("purchase-completed");
    if (!consumer) throw new Error("no purchase-completed function");
    expect(resources[logicalId(consumer)]?.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it("logs access and throttles the default stage", () => {
    const stage = ofType("AWS::ApiGatewayV2::Stage")[0]?.Properties;
    expect(stage?.StageName).toBe("$default");
    expect(stage?.AccessLogSettings.DestinationArn).toBeDefined();
    expect(stage?.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
  });
});

describe("producer roles", () => {
  const roleOf = (name: string) => {
    const role = stack.producerAccess.roles.get(name);
    if (!role) throw new Error(`no role for ${name}`);
    return role;
  };
  const conditionsOf = (producer: (typeof producers)[number]) => ({
    StringLike: { "events:source": producer.sources },
    StringEquals: { "events:detail-type": producer.detailTypes ?? DEFAULT_PRODUCER_DETAIL_TYPES },
  });

  it.each(producers.map((producer) => [producer.name, producer] as const))(
    "%s may only PutEvents on Patron's bus, with its own sources and granted detail types",
    (name, producer) => {
      const role = roleOf(name);
      expect(grantsOfRole(template, logicalId(role))).toEqual([
        {
          action: "events:PutEvents",
          resource: `<${logicalId(stack.stateful.bus)}.Arn>`,
          condition: conditionsOf(producer),
        },
      ]);
      expect(resources[logicalId(role)]?.Properties.ManagedPolicyArns).toBeUndefined();
    },
  );

  it("send purchases, refunds and interactions only, unless granted profile and enrolment events", () => {
    expect(DEFAULT_PRODUCER_DETAIL_TYPES).toEqual([
      "Purchase Completed",
      "Purchase Refunded",
      "Interaction Recorded",
    ]);
    const posTypes = grantsOfRole(template, logicalId(roleOf("pos")))[0]?.condition as {
      StringEquals: Record<string, string[]>;
    };
    expect(posTypes.StringEquals["events:detail-type"]).not.toContain("Member Updated");
    expect(posTypes.StringEquals["events:detail-type"]).not.toContain("Member Enrolled");
  });

  it("trust only the principals each producer names, never the whole deploying account", () => {
    const trustOf = (name: string) =>
      resources[logicalId(roleOf(name))]?.Properties.AssumeRolePolicyDocument.Statement;
    const [pos] = trustOf("pos");
    expect(render(pos.Principal.AWS)).toMatch(/:iam::111111111111:root$/);
    expect(trustOf("web")).toEqual([
      expect.objectContaining({ Action: "sts:AssumeRole", Principal: { AWS: WEB_SHOP_ROLE } }),
    ]);
    // Naming none: this account's roles under the producer's IAM path. A path is fixed when a role is created
    // (iam:CreateRole), while a principal tag could come from a session tag (sts:TagSession) or an IdP attribute.
    const kiosk = trustOf("kiosk");
    expect(kiosk).toHaveLength(1);
    expect(kiosk[0].Action).toBe("sts:AssumeRole");
    expect(render(kiosk[0].Principal.AWS)).toMatch(/:iam::123456789012:root$/);
    expect(Object.keys(kiosk[0].Condition)).toEqual(["ArnLike"]);
    expect(render(kiosk[0].Condition.ArnLike["aws:PrincipalArn"])).toBe(
      "arn:aws:iam::123456789012:role/patron-producer/kiosk/*",
    );
    expect(JSON.stringify(kiosk)).not.toMatch(/PrincipalTag|RequestTag|TagSession/);
  });

  const busStatements = () =>
    [
      ...ofType("AWS::Events::EventBusPolicy").map((policy) => policy.Properties.Statement),
      ...ofType("AWS::Events::EventBus").flatMap((bus) => bus.Properties.Policy?.Statement ?? []),
    ].flat();

  it("are the only principals the bus policy allows, each with its own conditions", () => {
    const statements = busStatements().filter((statement) => statement.Effect === "Allow");
    expect(statements).toHaveLength(producers.length);
    for (const producer of producers) {
      const statement = statements.find(
        (s) => render(s.Principal.AWS) === `<${logicalId(roleOf(producer.name))}.Arn>`,
      );
      expect(statement, producer.name).toMatchObject({
        Effect: "Allow",
        Action: "events:PutEvents",
        Condition: conditionsOf(producer),
      });
    }
  });

  it("are the only principals the bus lets put producer sources, whatever another principal's IAM allows", () => {
    const denials = busStatements().filter((statement) => statement.Effect === "Deny");
    expect(denials).toHaveLength(1);
    const [deny] = denials;
    expect(deny).toMatchObject({
      Principal: { AWS: "*" },
      Action: "events:PutEvents",
      Resource: expect.anything(),
      Condition: { StringLike: { "events:source": ["retail.*"] } },
    });
    expect(render(deny.Resource)).toBe(`<${logicalId(stack.stateful.bus)}.Arn>`);
    expect(deny.Condition.ArnNotEquals["aws:PrincipalArn"].map(render).sort()).toEqual(
      producers.map((producer) => `<${logicalId(roleOf(producer.name))}.Arn>`).sort(),
    );
    expect(Object.keys(deny.Condition).sort()).toEqual(["ArnNotEquals", "StringLike"]);
  });

  it("leave Patron's own publishers out of reach of that denial: they put source patron only", () => {
    const producerRoles = new Set(producers.map((producer) => `<${logicalId(roleOf(producer.name))}>`));
    const publishing = ofType("AWS::IAM::Policy").flatMap((policy) => {
      const roles = (policy.Properties.Roles as unknown[]).map(render);
      if (roles.some((role) => producerRoles.has(role))) return [];
      return (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]).filter((statement) =>
        [statement.Action].flat().some((action) => String(action).startsWith("events:Put")),
      );
    });
    expect(publishing.length).toBeGreaterThan(0);
    for (const statement of publishing)
      expect(statement.Condition).toEqual({ StringEquals: { "events:source": ["patron"] } });
  });

  it("tell the refund consumer which sources are refund authorities", () => {
    const refunds = stack.stateless.functions.get("purchase-refunded");
    if (!refunds) throw new Error("no purchase-refunded function");
    const variables = resources[logicalId(refunds)]?.Properties.Environment.Variables;
    expect(variables.REFUND_AUTHORITY_SOURCES).toBe("retail.web.*,retail.app.*");
  });

  it("tell the refund consumer each producer's sources, so a producer may refund any of its own", () => {
    const refunds = stack.stateless.functions.get("purchase-refunded");
    if (!refunds) throw new Error("no purchase-refunded function");
    const variables = resources[logicalId(refunds)]?.Properties.Environment.Variables;
    expect(variables.PRODUCER_SOURCES).toBe("retail.pos.*;retail.web.*,retail.app.*;retail.kiosk.*");
  });
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
