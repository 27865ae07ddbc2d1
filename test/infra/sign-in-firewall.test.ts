import { describe, expect, it } from "vitest";
import { parseFlag } from "../../infra/config";
import { SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

// The WAF web ACL on Cognito's sign-up and sign-in endpoints: a rate limit per client IP, on in prod.

describe("sign-in firewall", () => {
  it(
    "rate-limits each IP on both user pools in prod, and is off in dev unless asked for",
    () => {
      const signInUrls = { callbackUrls: ["https://shop.example/cb"], logoutUrls: ["https://shop.example/"] };
      const prod = synthPatron({ envName: "prod", signInUrls }).template;
      prod.hasResourceProperties("AWS::WAFv2::WebACL", {
        Scope: "REGIONAL",
        DefaultAction: { Allow: {} },
        Rules: [
          {
            Name: "rate-per-ip",
            Action: { Block: {} },
            Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: "IP" } },
          },
        ],
      });
      const associations = Object.values(prod.findResources("AWS::WAFv2::WebACLAssociation"));
      const pools = Object.keys(prod.findResources("AWS::Cognito::UserPool"));
      expect(pools).toHaveLength(2);
      expect(associations.map((a) => JSON.stringify(a.Properties.ResourceArn)).sort()).toEqual(
        pools.map((pool) => JSON.stringify({ "Fn::GetAtt": [pool, "Arn"] })).sort(),
      );

      expect(synthPatron({ envName: "dev" }).template.findResources("AWS::WAFv2::WebACL")).toEqual({});
      const asked = synthPatron({ envName: "dev", signInFirewall: true }).template;
      expect(Object.keys(asked.findResources("AWS::WAFv2::WebACL"))).toHaveLength(1);
    },
    SYNTH_TIMEOUT_MS * 3,
  );

  it("takes only true or false from the context", () => {
    expect(parseFlag("true", "signInFirewall")).toBe(true);
    expect(parseFlag(false, "signInFirewall")).toBe(false);
    expect(() => parseFlag("yes", "signInFirewall")).toThrow(/signInFirewall must be true or false/);
  });
});
