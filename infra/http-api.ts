import { CfnOutput, Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import {
  type CfnStage,
  CorsHttpMethod,
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

/** Member routes, given their own API Gateway routes so they have their own throttle. */
export const MEMBER_ROUTE_KEYS = ["ANY /me", "ANY /me/{proxy+}"] as const;

/**
 * Requests per second (steady, burst) per API Gateway route, across all clients: members, marketers
 * (every other private route falls to `$default`) and the unsubscribe link each have their own bucket,
 * so a flood on one cannot exhaust the others. Health and the OpenAPI document use the stage default.
 */
export const ROUTE_THROTTLES = {
  member: { rateLimit: 200, burstLimit: 400 },
  marketer: { rateLimit: 25, burstLimit: 50 },
  unsubscribe: { rateLimit: 25, burstLimit: 100 },
  other: { rateLimit: 10, burstLimit: 20 },
} as const;

/** A user pool and its app clients: one JWT authorizer (API Gateway takes one issuer per authorizer). */
export interface TokenIssuer {
  readonly userPool: IUserPool;
  /** App clients whose tokens are accepted (the JWT audience). */
  readonly clients: readonly IUserPoolClient[];
}

export interface PatronHttpApiProps {
  readonly envName: string;
  readonly handler: PatronFunction;
  /** The members' pool and the app clients whose tokens the member routes (`/me…`) accept. */
  readonly members: TokenIssuer;
  /** The marketers' pool and the app clients whose tokens every other private route (`$default`) accepts. */
  readonly marketers: TokenIssuer;
  /** The only browser origins allowed to call the API (the marketer console's). */
  readonly corsOrigins: readonly string[];
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * API Gateway v2 in front of the one `http-api` function, which routes internally. Every request
 * that is not a public route falls to `$default`, which requires a valid Cognito JWT: a new route in
 * the handler is private unless it is added to PUBLIC_ROUTES here. The member routes take tokens of the
 * members' pool only and `$default` those of the marketers' pool only, so a member's token never reaches a
 * marketer route whatever its groups; the handler still checks the token's `cognito:groups` claim.
 */
export class PatronHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** The https base URL, ending in "/" (the `$default` stage has no path). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PatronHttpApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration("Handler", props.handler);
    const memberAuthorizer = new HttpUserPoolAuthorizer("MemberTokens", props.members.userPool, {
      userPoolClients: [...props.members.clients],
    });
    const marketerAuthorizer = new HttpUserPoolAuthorizer("MarketerTokens", props.marketers.userPool, {
      userPoolClients: [...props.marketers.clients],
    });
    this.api = new HttpApi(this, "Api", {
      apiName: `patron-${props.envName}`,
      description: "Patron member and marketer API",
      createDefaultStage: false,
      defaultIntegration: integration,
      defaultAuthorizer: marketerAuthorizer,
      // API Gateway answers the preflight itself, before any route or authorizer. Only what the console sends.
      corsPreflight: {
        allowOrigins: [...props.corsOrigins],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT],
        allowHeaders: ["authorization", "content-type", "idempotency-key"],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, "Stage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: ROUTE_THROTTLES.other,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
    const routeThrottles: Record<string, { rateLimit: number; burstLimit: number }> = {
      $default: ROUTE_THROTTLES.marketer,
    };
    for (const key of MEMBER_ROUTE_KEYS) {
      const path = key.slice("ANY ".length);
      const routes = this.api.addRoutes({
        path,
        methods: [HttpMethod.ANY],
        integration,
        authorizer: memberAuthorizer,
      });
      for (const route of routes) {
        this.stage.node.addDependency(route);
      }
      routeThrottles[key] = ROUTE_THROTTLES.member;
    }
    for (const route of PUBLIC_ROUTES) {
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
        authorizer: new HttpNoneAuthorizer(),
      });
      if (route.path === "/unsubscribe" || route.path === "/resubscribe") {
        routeThrottles[`${route.method} ${route.path}`] = ROUTE_THROTTLES.unsubscribe;
      }
      if (created) {
        this.stage.node.addDependency(created);
        Validations.of(created).acknowledge({
          id: "AwsSolutions-APIG4",
          reason: `${route.method} ${route.path} must work without a login: ${route.why}.`,
        });
      }
    }
    // HttpStage has no per-route settings; each key must name a route created above. RouteSettings is
    // untyped JSON to CloudFormation, so its keys are written as CloudFormation spells them.
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      Object.entries(routeThrottles).map(([key, throttle]) => [
        key,
        { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
      ]),
    );
    this.url = this.stage.url;
    new CfnOutput(this, "Url", { description: "Patron HTTP API base URL", value: this.url });
  }
}
