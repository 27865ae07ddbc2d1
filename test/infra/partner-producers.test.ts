import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { UserPool } from "aws-cdk-lib/aws-cognito";
import { EventBus } from "aws-cdk-lib/aws-events";
import { describe, expect, it } from "vitest";
import { matchesPattern } from "../../events/pattern-matcher";
import { consumerRules } from "../../events/rules";
import { partnerScope } from "../../functions/http/principal";
import { parseProducers } from "../../infra/config";
import { ProducerAccess } from "../../infra/producer-access";
import { ProducerClients } from "../../infra/producer-clients";
import { TEST_ENV } from "./synth-patron";

// Coalition partners (issue #18): each partner's producer role may put events only under its own
// `retail.partner.<id>.` prefix, no other producer may reach into partners' sources, the bus rules accept
// partner sources like any producer's, and each partner gets a machine client scoped to its own statement.

describe("partner producers", () => {
  it("default a partner's sources to its own prefix and refuse any other", () => {
    const [cafe] = parseProducers([{ name: "partner-cafe", partner: "cafe-lumen" }]);
    expect(cafe).toMatchObject({ sources: ["retail.partner.cafe-lumen.*"], partner: "cafe-lumen" });
    expect(() =>
      parseProducers([
        { name: "partner-cafe", partner: "cafe-lumen", sources: ["retail.partner.velo-fuel.*"] },
      ]),
    ).toThrow(/producers\[0\]\.sources: .*must start with "retail\.partner\.cafe-lumen\."/);
    expect(() =>
      parseProducers([{ name: "partner-cafe", partner: "cafe-lumen", sources: ["retail.partner.*"] }]),
    ).toThrow(/publishes only as itself/);
  });

  it("refuse a non-partner producer whose pattern reaches partners' sources", () => {
    for (const source of ["retail.partner.cafe-lumen.*", "retail.p*", "retail.*.till"])
      expect(() => parseProducers([{ name: "pos", sources: [source] }])).toThrow(/reaches partners' sources/);
    expect(parseProducers([{ name: "pos", sources: ["retail.pos.*"] }])).toHaveLength(1);
  });

  it("pin the partner's role, and the bus policy naming it, to its own sources", () => {
    const stack = new Stack(new App(), "Partners", { env: TEST_ENV });
    const bus = new EventBus(stack, "Bus");
    new ProducerAccess(stack, "Producers", {
      bus,
      producers: parseProducers([{ name: "partner-cafe", partner: "cafe-lumen" }]),
    });
    const template = Template.fromStack(stack);
    const condition = { StringLike: { "events:source": ["retail.partner.cafe-lumen.*"] } };
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: "events:PutEvents", Condition: Match.objectLike(condition) })],
      },
    });
    template.hasResourceProperties("AWS::Events::EventBusPolicy", {
      Statement: Match.objectLike({ Condition: Match.objectLike(condition) }),
    });
  });

  it("route partner purchases like any producer's", () => {
    const event = { source: "retail.partner.cafe-lumen.till-1", "detail-type": "Purchase Completed" };
    const routed = consumerRules.filter((rule) => matchesPattern(rule.eventPattern, event));
    expect(routed.map((rule) => rule.consumer)).toEqual(["purchase-completed"]);
  });

  it("give each partner a client-credentials client whose only scope is its own", () => {
    const stack = new Stack(new App(), "PartnerClients", { env: TEST_ENV });
    new ProducerClients(stack, "ProducerClients", {
      userPool: new UserPool(stack, "Pool"),
      partners: ["cafe-lumen", "velo-fuel"],
    });
    const clients = Object.values(Template.fromStack(stack).findResources("AWS::Cognito::UserPoolClient"));
    expect(clients).toHaveLength(3);
    const scopes = clients.map((client) => JSON.stringify(client.Properties.AllowedOAuthScopes));
    for (const partner of ["cafe-lumen", "velo-fuel"]) {
      const [, scope] = partnerScope(partner).split("/");
      const own = scopes.filter((s) => s.includes(`/${scope}`));
      expect(own).toHaveLength(1);
      expect(own[0]).not.toContain("/producer");
    }
  });
});
