import { Annotations, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import {
  AccessLevel,
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { OAuthScope, type UserPool, type UserPoolClient, type UserPoolDomain } from "aws-cdk-lib/aws-cognito";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import type { Asset } from "aws-cdk-lib/aws-s3-assets";
import { BucketDeployment, CacheControl, Source } from "aws-cdk-lib/aws-s3-deployment";
import { flattenCfnReference } from "cdk-nag/lib/utils/flatten-cfn-reference";
import { Construct } from "constructs";
import { consoleBuildAsset } from "./console-bundle";
import { consoleContentSecurityPolicy } from "./console-content-security-policy";

/** The console's base path (console/vite.config.ts `base`) and its objects' key prefix in the bucket. */
export const CONSOLE_PATH = "/console/";

/**
 * CloudFront Function on viewer requests: `/` and `/console` go to the console; a path under /console/ whose
 * last segment has no extension is a client-side route and answers the app's index.html. Everything else
 * goes to S3 as asked, so a missing asset is a 404 rather than the app.
 */
export const CONSOLE_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === "/" || uri === "/console") {
    return { statusCode: 302, statusDescription: "Found", headers: { location: { value: "/console/" } } };
  }
  if (uri.startsWith("/console/") && !/\\.[^/]*$/.test(uri)) {
    request.uri = "/console/index.html";
  }
  return request;
}`;

/** What the console reads from /console/config.json: `ConsoleConfig` in console/src/config-types.ts. */
export interface DeployedConsoleConfig {
  readonly apiUrl: string;
  readonly auth: {
    readonly mode: "cognito";
    readonly authority: string;
    readonly clientId: string;
    readonly domain: string;
    readonly redirectUri: string;
  };
}

export interface ConsoleHostingProps {
  readonly envName: string;
  readonly production: boolean;
  readonly userPool: UserPool;
  /** The Hosted UI marketers sign in on (their own pool's: infra/marketer-accounts.ts). */
  readonly hostedUi: UserPoolDomain;
}

/**
 * The marketer console: its build in a private S3 bucket that only this CloudFront distribution reads (Origin
 * Access Control), served over HTTPS at `https://<distribution>/console/` with the console's security headers,
 * and the Cognito app client it signs in with (Hosted UI, authorization code + PKCE). `deploy` uploads the
 * build and its config.json once the API exists: the API's CORS names this distribution, so it comes after.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  readonly client: UserPoolClient;
  /** `https://<distribution domain>`: the only origin the API's CORS allows. */
  readonly origin: string;
  /** `https://<distribution domain>/console/` */
  readonly url: string;
  private readonly userPool: UserPool;
  private readonly hostedUi: UserPoolDomain;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    this.userPool = props.userPool;
    this.hostedUi = props.hostedUi;
    const stack = Stack.of(this);

    this.bucket = new Bucket(this, "Bucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Only a build of console/, redeployed from source; outside prod the stack takes it away when deleted.
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.production,
    });
    Validations.of(this.bucket).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "The bucket holds only the console's public build, read by CloudFront alone and written by the deployment; S3 access logs would record nothing but those two.",
    });

    // The API's exact origin cannot be named here: its CORS names this distribution, and a policy naming the
    // API would make the distribution depend on the API (a cycle). So any API Gateway API of this region.
    const connect = [
      `https://*.execute-api.${stack.region}.${stack.urlSuffix}`,
      `https://cognito-idp.${stack.region}.${stack.urlSuffix}`,
      props.hostedUi.baseUrl(),
    ];
    this.headers = new ResponseHeadersPolicy(this, "Headers", {
      comment: `Patron ${props.envName} console: CSP, HSTS and the other security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy(connect),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });

    const routing = new CloudFrontFunction(this, "Routing", {
      comment: "Patron console: / to /console/, client-side routes to index.html",
      code: FunctionCode.fromInline(CONSOLE_ROUTING_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });
    this.distribution = new Distribution(this, "Distribution", {
      comment: `Patron ${props.envName} marketer console`,
      // The routing function redirects `/` first; this keeps a bare `/` from ever reaching S3 as a listing.
      defaultRootObject: "console/index.html",
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        // LIST lets S3 answer 404 rather than 403 for a missing object.
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessLevels: [AccessLevel.READ, AccessLevel.LIST],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: routing }],
      },
    });
    acknowledgeDistributionFindings(this.distribution);
    Annotations.of(this.distribution).acknowledgeWarning(
      "@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk",
      "LIST only turns a missing object's 403 into a 404; `/` never reaches S3 (redirected, and a default root object) and the bucket holds nothing but the public console build.",
    );
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}${CONSOLE_PATH}`;

    this.client = props.userPool.addClient("ConsoleClient", {
      // A public client (no secret) that signs in on the Hosted UI only: the authorization code flow with
      // PKCE, no implicit flow and no direct sign-in API (refresh tokens only).
      generateSecret: false,
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [`${this.url}sign-in`],
        logoutUrls: [this.url],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(60),
      idTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(12),
    });
  }

  /** Uploads the build and config.json. Hashed assets are cached a year; index.html and config.json never. */
  deploy(props: { readonly apiUrl: string }): void {
    const asset = consoleBuildAsset(this, "Build");
    const build = Source.bucket(asset.bucket, asset.s3ObjectKey);
    const target = { destinationBucket: this.bucket, destinationKeyPrefix: CONSOLE_PATH.slice(1) };
    // Old hashed files stay (no prune), so a tab opened before a deploy can still load its chunks.
    const assets = new BucketDeployment(this, "DeployAssets", {
      ...target,
      sources: [build],
      exclude: ["index.html"],
      prune: false,
      cacheControl: [CacheControl.fromString("public, max-age=31536000, immutable")],
    });
    const config: DeployedConsoleConfig = {
      apiUrl: props.apiUrl,
      auth: {
        mode: "cognito",
        authority: this.userPool.userPoolProviderUrl,
        clientId: this.client.userPoolClientId,
        domain: this.hostedUi.baseUrl(),
        redirectUri: `${this.url}sign-in`,
      },
    };
    const pages = new BucketDeployment(this, "DeployPages", {
      ...target,
      sources: [build, Source.jsonData("config.json", config)],
      exclude: ["*"],
      include: ["index.html", "config.json"],
      prune: false,
      cacheControl: [CacheControl.noCache()],
    });
    // index.html names the new assets: it goes up only once they are there.
    pages.node.addDependency(assets);
    this.acknowledgeDeploymentHandler(pages, asset);
  }

  /** The deployments' handler is CDK's own Lambda, one per stack; its findings are the grants CDK gives it. */
  private acknowledgeDeploymentHandler(deployment: BucketDeployment, asset: Asset): void {
    const handler = deployment.handlerRole.node.scope;
    if (!handler) return;
    const stack = Stack.of(this);
    const nagName = (arn: string) => flattenCfnReference(stack.resolve(arn));
    const grants =
      "CDK's BucketDeployment grants its handler read on the asset bucket and read-write on the console bucket";
    Validations.of(handler).acknowledge(
      {
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason:
          "CDK's BucketDeployment handler writes its own logs with the basic execution role; it has no setting to replace it.",
      },
      ...["s3:GetBucket*", "s3:GetObject*", "s3:List*", "s3:Abort*", "s3:DeleteObject*"].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${grants} (bucket.grantRead/grantReadWrite); ${action} is limited to those two buckets.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${nagName(asset.bucket.arnForObjects("*"))}]`,
        reason: `${grants}: the asset bucket's objects, to copy the console build and config.json from.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagName(this.bucket.arnForObjects("*"))}]`,
        reason: `${grants}: every object of the console bucket, which holds nothing but the console.`,
      },
      {
        id: "AwsSolutions-L1",
        reason:
          "The runtime of CDK's BucketDeployment handler is chosen by aws-cdk-lib and moves with its upgrades.",
      },
    );
  }
}

function acknowledgeDistributionFindings(distribution: Distribution): void {
  Validations.of(distribution).acknowledge(
    {
      id: "AwsSolutions-CFR1",
      reason:
        "Marketers sign in from wherever the retailer works; a geo restriction is the retailer's choice, and the data is behind Cognito on the API.",
    },
    {
      id: "AwsSolutions-CFR2",
      reason:
        "The distribution serves only the console's static build (no data); WAF's monthly web ACL and rule fees are not worth it for public static files.",
    },
    {
      id: "AwsSolutions-CFR3",
      reason:
        "Access logs of the console's static files would say nothing the API's access logs do not; every data request is logged by the HTTP API stage.",
    },
    {
      id: "AwsSolutions-CFR4",
      reason:
        "The default *.cloudfront.net certificate cannot pin a minimum TLS version; a custom domain with an ACM certificate (TLSv1.2_2021) is the retailer's choice.",
    },
  );
}
