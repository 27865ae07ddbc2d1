import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { UserPool } from "aws-cdk-lib/aws-cognito";
import { describe, expect, it } from "vitest";
import { PRODUCER_SCOPE } from "../../functions/http/principal";
import { ProducerClients } from "../../infra/producer-clients";
import { TEST_ENV } from "./synth-patron";

describe("producer service clients", () => {
  const stack = new Stack(new App(), "Producers", { env: TEST_ENV });
  new ProducerClients(stack, "ProducerClients", { userPool: new UserPool(stack, "Pool") });
  const template = Template.fromStack(stack);

  it("declares the scope the HTTP API checks for service routes", () => {
    const [server, scope] = PRODUCER_SCOPE.split("/");
    template.hasResourceProperties("AWS::Cognito::UserPoolResourceServer", {
      Identifier: server,
      Scopes: [Match.objectLike({ ScopeName: scope })],
    });
  });

  it("issues that scope by client credentials only, with a secret", () => {
    const clients = template.findResources("AWS::Cognito::UserPoolClient");
    expect(Object.keys(clients)).toHaveLength(1);
    const properties = Object.values(clients)[0]?.Properties;
    expect(properties.GenerateSecret).toBe(true);
    expect(properties.AllowedOAuthFlows).toEqual(["client_credentials"]);
    expect(JSON.stringify(properties.AllowedOAuthScopes)).toContain("/producer");
  });
});
