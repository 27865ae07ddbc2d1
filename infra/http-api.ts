import { CfnOutput, type RemovalPolicy, Validations } from "aws-cdk-lib";
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IUserPool, IUserPoolClient } from "aws-cdk-lib/aws-cognito";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { PatronFunction } from "./patron-function";

/**
 * The only routes reachable without a Cognito token: the health check, the API's own OpenAPI document
 * and the unsubscribe link (a mail client's RFC 8058 one-click POST; a person's GET of the page, its
 * button's POST and the re-subscribe POST; the signed token in the link is the proof). Must equal the
 * handler's `access: "public"` routes (functions/http).
 */
export const PUBLIC_ROUTES = [
  { method: HttpMethod.GET, path: "/health", why: "health probe" },
  {
    method: HttpMethod.GET,
    path: "/openapi.json",
    why: "the API's public description for client generators",
  },
  {
    method: HttpMethod.GET,
    path: "/unsubscribe",
    why: "the page behind the unsubscribe link in an e-mail's body; read-only, the handler verifies the signed token",
  },
  {
    method: HttpMethod.POST,
    path: "/unsubscribe",
    why: "one-click unsubscribe from a mail client or the page's button; the handler verifies the signed token",
  },
  {
    method: HttpMethod.POST,
    path: "/resubscribe",
    why: "re-subscribe from the unsubscribe confirmation page; the handler verifies the signed token",
  },
] as const;

export interface PatronHttpApiProps {
  readonly envName: string;
  readonly handler: PatronFunction;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * API Gateway v2 in front of the one `http-api` function, which routes internally. Every request
 * that is not a public route falls to `$default`, which requires a valid Cognito JWT: a new route in
 * the handler is private unless it is added to PUBLIC_ROUTES here. Group checks (members vs.
 * marketers) use the token's `cognito:groups` claim inside the handler.
 */
export class PatronHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** The https base URL, ending in "/" (the `$default` stage has no path). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PatronHttpApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration("Handler", props.handler);
    const authorizer = new HttpUserPoolAuthorizer("Cognito", props.userPool, {
      userPoolClients: [props.userPoolClient],
    });
    this.api = new HttpApi(this, "Api", {
      apiName: `patron-${props.envName}`,
      description: "Patron member and marketer API",
      createDefaultStage: false,
      defaultIntegration: integration,
      defaultAuthorizer: authorizer,
    });
    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, "Stage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
    for (const route of PUBLIC_ROUTES) {
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
        authorizer: new HttpNoneAuthorizer(),
      });
      if (created) {
        Validations.of(created).acknowledge({
          id: "AwsSolutions-APIG4",
          reason: `${route.method} ${route.path} must work without a login: ${route.why}.`,
        });
      }
    }
    this.url = this.stage.url;
    new CfnOutput(this, "Url", { description: "Patron HTTP API base URL", value: this.url });
  }
}
