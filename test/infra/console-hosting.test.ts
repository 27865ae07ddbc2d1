import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { App } from "aws-cdk-lib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CONSOLE_ROOT, consoleSourceHash, VITE_BIN } from "../../infra/console-bundle";
import type { PatronStack } from "../../infra/patron-stack";
import { logicalId, render, SYNTH_TIMEOUT_MS, synthPatron, TEST_ENV } from "./synth-patron";

// Counts Vite runs: a synth of unchanged console sources must not start one.
vi.mock("node:child_process", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:child_process")>();
  return { ...actual, spawnSync: vi.fn(actual.spawnSync) };
});

// biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped; tests walk it by known CloudFormation property names.
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

let app: App;
let stack: PatronStack;
let resources: Record<string, Resource>;
// biome-ignore lint/suspicious/noExplicitAny: as above.
let outputs: Record<string, any>;

beforeAll(() => {
  let template: ReturnType<typeof synthPatron>["template"];
  ({ app, stack, template } = synthPatron());
  ({ Resources: resources, Outputs: outputs } = template.toJSON());
}, SYNTH_TIMEOUT_MS);

const ofType = (type: string) => Object.values(resources).filter((resource) => resource.Type === type);
const byId = (id: string): Resource => {
  const resource = resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return resource;
};
const distribution = () => `<${logicalId(stack.console.distribution)}.DomainName>`;
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe("console bucket", () => {
  it("is private, encrypted, TLS-only and no website", () => {
    const bucket = byId(logicalId(stack.console.bucket)).Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toHaveLength(1);
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    const policy = ofType("AWS::S3::BucketPolicy").find(
      (candidate) => render(candidate.Properties.Bucket) === `<${logicalId(stack.console.bucket)}>`,
    );
    const statements = policy?.Properties.PolicyDocument.Statement as Resource["Properties"][];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    // Reading objects is CloudFront's alone, and only on behalf of this distribution.
    const readers = statements.filter(
      (statement) =>
        statement.Effect === "Allow" &&
        asArray(statement.Action).some((action: string) =>
          ["s3:GetObject", "s3:GetObject*", "s3:*"].includes(action),
        ),
    );
    expect(readers).toHaveLength(1);
    expect(readers[0]?.Principal).toEqual({ Service: "cloudfront.amazonaws.com" });
    expect(render(readers[0]?.Condition.StringEquals["AWS:SourceArn"])).toBe(
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${logicalId(stack.console.distribution)}>`,
    );
    for (const statement of statements.filter((candidate) => candidate.Effect === "Allow")) {
      expect(JSON.stringify(statement.Principal)).not.toContain('"*"');
    }
  });

  it("is the distribution's only origin, through Origin Access Control (no OAI, no website endpoint)", () => {
    const config = byId(logicalId(stack.console.distribution)).Properties.DistributionConfig;
    expect(config.Origins).toHaveLength(1);
    const [origin] = config.Origins;
    expect(render(origin.DomainName)).toBe(`<${logicalId(stack.console.bucket)}.RegionalDomainName>`);
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: "" });
    expect(
      ofType("AWS::CloudFront::OriginAccessControl")[0]?.Properties.OriginAccessControlConfig,
    ).toMatchObject({
      OriginAccessControlOriginType: "s3",
      SigningBehavior: "always",
    });
  });
});

describe("console distribution", () => {
  const behavior = () =>
    byId(logicalId(stack.console.distribution)).Properties.DistributionConfig.DefaultCacheBehavior;
  const headers = () =>
    byId(logicalId(stack.console.headers)).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;

  it("serves HTTPS only, GET and HEAD, with the console's headers policy", () => {
    expect(behavior().ViewerProtocolPolicy).toBe("https-only");
    expect(behavior().AllowedMethods).toEqual(["GET", "HEAD"]);
    expect(behavior().ResponseHeadersPolicyId).toEqual({ Ref: logicalId(stack.console.headers) });
  });

  it("sends a CSP of the console's own code, connecting only to API Gateway and Cognito of the region", () => {
    const csp = render(headers().ContentSecurityPolicy.ContentSecurityPolicy);
    expect(headers().ContentSecurityPolicy.Override).toBe(true);
    const directives = Object.fromEntries(
      csp.split("; ").map((directive) => [directive.split(" ")[0], directive.split(" ").slice(1)]),
    );
    expect(directives["default-src"]).toEqual(["'self'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["style-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    const region = TEST_ENV.region;
    expect(directives["connect-src"]).toEqual([
      "'self'",
      `https://*.execute-api.${region}.<AWS::URLSuffix>`,
      `https://cognito-idp.${region}.<AWS::URLSuffix>`,
      `https://<${logicalId(stack.stateful.marketers.hostedUi)}>.auth.${region}.amazoncognito.com`,
    ]);
  });

  it("sends HSTS for at least a year with subdomains, nosniff, DENY and strict-origin-when-cross-origin", () => {
    const security = headers();
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.StrictTransportSecurity.IncludeSubdomains).toBe(true);
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: "DENY", Override: true });
    expect(security.ReferrerPolicy).toEqual({
      ReferrerPolicy: "strict-origin-when-cross-origin",
      Override: true,
    });
  });

  it("routes on viewer requests: / to /console/, client-side routes to index.html, files to S3 as asked", () => {
    const [association] = behavior().FunctionAssociations;
    expect(association.EventType).toBe("viewer-request");
    const fn = byId(render(association.FunctionARN).slice(1, -".FunctionARN>".length));
    expect(fn.Properties.FunctionConfig.Runtime).toBe("cloudfront-js-2.0");
    // The code CloudFront runs, as deployed, run here on a request of each kind.
    const handler = new Function(`${fn.Properties.FunctionCode}\nreturn handler;`)() as (event: unknown) => {
      uri?: string;
      statusCode?: number;
      headers?: { location: { value: string } };
    };
    const route = (uri: string) => handler({ request: { uri, headers: {} } });
    for (const uri of ["/", "/console"]) {
      expect(route(uri), uri).toMatchObject({
        statusCode: 302,
        headers: { location: { value: "/console/" } },
      });
    }
    for (const uri of ["/console/", "/console/sign-in", "/console/members/m-1", "/console/program"]) {
      expect(route(uri).uri, uri).toBe("/console/index.html");
    }
    for (const uri of [
      "/console/assets/index-Dx1Z.js",
      "/console/config.json",
      "/console/missing.png",
      "/other",
    ]) {
      expect(route(uri).uri, uri).toBe(uri);
    }
  });
});

describe("the API for the console", () => {
  it("allows CORS from the console's origin only, with the methods and headers the console sends", () => {
    const cors = byId(logicalId(stack.stateless.httpApi.api)).Properties.CorsConfiguration;
    expect(cors.AllowOrigins.map(render)).toEqual([`https://${distribution()}`]);
    expect(cors.AllowMethods).toEqual(["GET", "POST", "PUT"]);
    expect(cors.AllowHeaders).toEqual(["authorization", "content-type", "idempotency-key"]);
    expect(cors.AllowCredentials).toBeUndefined();
  });

  it("has a Cognito app client for the console: code flow with PKCE, no secret, back to the console", () => {
    const client = byId(logicalId(stack.console.client)).Properties;
    expect(client.AllowedOAuthFlows).toEqual(["code"]);
    expect(client.AllowedOAuthScopes).toEqual(["openid", "email"]);
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(["ALLOW_REFRESH_TOKEN_AUTH"]);
    expect(client.CallbackURLs.map(render)).toEqual([`https://${distribution()}/console/sign-in`]);
    expect(client.LogoutURLs.map(render)).toEqual([`https://${distribution()}/console/`]);
    const audiences = ofType("AWS::ApiGatewayV2::Authorizer").flatMap((authorizer) =>
      authorizer.Properties.JwtConfiguration.Audience.map(render),
    );
    expect(audiences).toContain(`<${logicalId(stack.console.client)}>`);
  });

  it("signs marketers in on their own pool's Hosted UI domain, named for the stack's environment and account", () => {
    const domain = byId(logicalId(stack.stateful.marketers.hostedUi)).Properties;
    expect(domain.Domain).toBe(`patron-dev-console-${TEST_ENV.account}`);
    expect(domain.UserPoolId).toEqual({ Ref: logicalId(stack.stateful.marketers.userPool) });
    expect(byId(logicalId(stack.console.client)).Properties.UserPoolId).toEqual({
      Ref: logicalId(stack.stateful.marketers.userPool),
    });
  });

  it("outputs the console URL", () => {
    expect(render(outputs.ConsoleUrl.Value)).toBe(`https://${distribution()}/console/`);
  });
});

describe("console deployment", () => {
  const deployments = () => ofType("Custom::CDKBucketDeployment");
  const pages = () => deployments().find((deployment) => deployment.Properties.Include) as Resource;
  const assets = () => deployments().find((deployment) => !deployment.Properties.Include) as Resource;
  const stagedDir = (objectKey: string) => join(app.outdir, `asset.${objectKey.replace(/\.zip$/, "")}`);

  it("uploads the Vite build under console/: hashed assets cached a year, index.html and config.json never", () => {
    expect(deployments()).toHaveLength(2);
    for (const deployment of deployments()) {
      expect(deployment.Properties.DestinationBucketKeyPrefix).toBe("console/");
      expect(render(deployment.Properties.DestinationBucketName)).toBe(
        `<${logicalId(stack.console.bucket)}>`,
      );
    }
    expect(assets().Properties.Exclude).toEqual(["index.html"]);
    expect(assets().Properties.SystemMetadata["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(pages().Properties.Exclude).toEqual(["*"]);
    expect(pages().Properties.Include).toEqual(["index.html", "config.json"]);
    expect(pages().Properties.SystemMetadata["cache-control"]).toBe("no-cache");
    // index.html goes up only after the assets it names.
    const assetsId = Object.keys(resources).find((id) => resources[id] === assets());
    expect(pages().DependsOn).toContain(assetsId);

    const build = stagedDir(assets().Properties.SourceObjectKeys[0]);
    expect(pages().Properties.SourceObjectKeys[0]).toBe(assets().Properties.SourceObjectKeys[0]);
    const index = readFileSync(join(build, "index.html"), "utf8");
    expect(index).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js"><\/script>/);
  });

  it("writes config.json with the API URL, the console client and the Hosted UI (ConsoleConfig)", () => {
    const { SourceObjectKeys: keys, SourceMarkers: markers } = pages().Properties;
    const index = keys.findIndex((_key: string, i: number) => Object.keys(markers[i]).length > 0);
    const text = readFileSync(join(stagedDir(keys[index]), "config.json"), "utf8");
    const config = JSON.parse(
      text.replace(/<<marker:0xbaba:\d+>>/g, (marker) => render(markers[index][marker])),
    );
    expect(config).toEqual({
      apiUrl: `<${logicalId(stack.stateless.httpApi.api)}.ApiEndpoint>`,
      auth: {
        mode: "cognito",
        authority: `<${logicalId(stack.stateful.marketers.userPool)}.ProviderURL>`,
        clientId: `<${logicalId(stack.console.client)}>`,
        domain: `https://<${logicalId(stack.stateful.marketers.hostedUi)}>.auth.${TEST_ENV.region}.amazoncognito.com`,
        redirectUri: `https://${distribution()}/console/sign-in`,
      },
    });
  });

  it(
    "is built once per change of the console's sources: another synth runs no Vite",
    () => {
      const spawn = vi.mocked(spawnSync);
      spawn.mockClear();
      const again = synthPatron();
      const viteRuns = spawn.mock.calls.filter(([, args]) =>
        (args ?? []).some((arg) => arg.endsWith(VITE_BIN)),
      );
      expect(viteRuns, JSON.stringify(viteRuns)).toHaveLength(0);
      const keys = (deployment: Resource | undefined) => deployment?.Properties.SourceObjectKeys[0];
      const againAssets = Object.values(again.template.toJSON().Resources as Record<string, Resource>).find(
        (resource) => resource.Type === "Custom::CDKBucketDeployment" && !resource.Properties.Include,
      );
      expect(keys(againAssets)).toBe(keys(assets()));
    },
    SYNTH_TIMEOUT_MS,
  );

  it("hashes the console's sources without its dist/ output or the config Vite bundles beside itself", () => {
    const before = consoleSourceHash();
    const probes = [
      join(CONSOLE_ROOT, "dist", `hash-probe-${process.pid}.txt`),
      // What a concurrent build leaves there for a moment: it must not give another process another hash.
      join(CONSOLE_ROOT, `vite.config.ts.timestamp-${Date.now()}-${process.pid}.mjs`),
    ];
    mkdirSync(join(CONSOLE_ROOT, "dist"), { recursive: true });
    try {
      for (const probe of probes) writeFileSync(probe, "not an input");
      expect(consoleSourceHash()).toBe(before);
    } finally {
      for (const probe of probes) rmSync(probe, { force: true });
    }
  });
});
