import type { IUserPool } from "aws-cdk-lib/aws-cognito";
import { CfnWebACL, CfnWebACLAssociation } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

// A WAF web ACL with a rate-based rule per client IP on the Cognito user pools' public endpoints (sign-up,
// sign-in, password reset): credential stuffing and sign-up floods are stopped before Cognito. The HTTP API
// itself cannot carry one: AWS WAF attaches to REST APIs, not to API Gateway HTTP APIs; its per-route throttles
// (infra/http-api.ts) bound it instead, and a retailer who needs per-IP limits there puts CloudFront with a WAF
// web ACL (us-east-1) in front of it.

export interface SignInFirewallProps {
  envName: string;
  userPools: readonly IUserPool[];
  /** Requests one IP may make in any 5 minutes before WAF blocks it (WAF's minimum is 10). */
  requestsPerFiveMinutes: number;
}

export class SignInFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: SignInFirewallProps) {
    super(scope, id);
    const metrics = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `patron-${props.envName}-${name}`,
    });
    this.webAcl = new CfnWebACL(this, "WebAcl", {
      name: `patron-${props.envName}-sign-in`,
      description: "Rate limit per client IP on the Cognito sign-up and sign-in endpoints of Patron",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: metrics("sign-in"),
      rules: [
        {
          name: "rate-per-ip",
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.requestsPerFiveMinutes, aggregateKeyType: "IP" },
          },
          visibilityConfig: metrics("sign-in-rate-per-ip"),
        },
      ],
    });
    props.userPools.forEach((pool, index) => {
      new CfnWebACLAssociation(this, `Association${index}`, {
        resourceArn: pool.userPoolArn,
        webAclArn: this.webAcl.attrArn,
      });
    });
  }
}
