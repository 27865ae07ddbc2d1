import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HttpEvent } from "../../../functions/http/route";
import { secretsManagerSecret, withSecret } from "../../../functions/shared/secrets";

// Secrets Manager is the one client mocked here: the point is which calls reach it, and how often.
const secretsManager = mockClient(SecretsManagerClient);
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:patron-signing-AbCdEf";
const SECRET = "s".repeat(64);
const REGION = "eu-west-1";

const getSecretCalls = () =>
  secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input);

beforeEach(() => {
  secretsManager.reset();
});

describe("secretsManagerSecret", () => {
  it("reads the SecretString by ARN once and serves later reads from the cache", async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
    const source = secretsManagerSecret({ secretArn: SECRET_ARN, region: REGION });
    expect(await source()).toBe(SECRET);
    expect(await source()).toBe(SECRET);
    expect(getSecretCalls()).toEqual([{ SecretId: SECRET_ARN }]);
  });

  it("asks again once the value is older than its max age", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: "a" })
      .resolves({ SecretString: "b" });
    const source = secretsManagerSecret({ secretArn: SECRET_ARN, region: REGION, maxAgeSeconds: 0 });
    expect([await source(), await source()]).toEqual(["a", "b"]);
  });

  it("fails without echoing anything but the ARN when the secret is binary", async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    const source = secretsManagerSecret({ secretArn: SECRET_ARN, region: REGION });
    await expect(source()).rejects.toThrow(`secret ${SECRET_ARN}: no SecretString`);
  });
});

describe("withSecret", () => {
  it("builds the handler from the secret once, and again only when the value changes", async () => {
    const values = ["one", "one", "two"];
    const built: string[] = [];
    const handler = withSecret(
      async () => values.shift() ?? "",
      (secret) => {
        built.push(secret);
        return async (n: number) => `${secret}:${n}`;
      },
    );
    expect([await handler(1), await handler(2), await handler(3)]).toEqual(["one:1", "one:2", "two:3"]);
    expect(built).toEqual(["one", "two"]);
  });
});

describe("http-api handler", () => {
  const context = {} as Context;
  const openApiRequest = {
    version: "2.0",
    routeKey: "GET /openapi.json",
    rawPath: "/openapi.json",
    rawQueryString: "",
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "test",
      domainName: "test.example",
      domainPrefix: "test",
      http: {
        method: "GET",
        path: "/openapi.json",
        protocol: "HTTP/1.1",
        sourceIp: "192.0.2.1",
        userAgent: "t",
      },
      requestId: "r1",
      routeKey: "GET /openapi.json",
      stage: "$default",
      time: "01/Jan/2025:00:00:00 +0000",
      timeEpoch: 1_735_689_600_000,
    },
  } as unknown as HttpEvent;

  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv("AWS_REGION", REGION);
    vi.stubEnv("TABLE_NAME", "patron");
    vi.stubEnv("SIGNING_SECRET_ARN", SECRET_ARN);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const loadHandler = async () => (await import("../../../functions/handlers/http-api")).handler;

  it("gets the signing secret named by SIGNING_SECRET_ARN once across two invocations", async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
    const handler = await loadHandler();
    expect(getSecretCalls()).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const response = (await handler(openApiRequest, context)) as APIGatewayProxyStructuredResultV2;
      expect(response.statusCode).toBe(200);
    }
    expect(getSecretCalls()).toEqual([{ SecretId: SECRET_ARN }]);
  });

  it("signs with the fetched value: a weak one fails the invocation", async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: "too-short" });
    const handler = await loadHandler();
    await expect(handler(openApiRequest, context)).rejects.toThrow("at least 32 characters");
  });
});
