import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import type * as z from "zod";
import { analyticsConfigSchema } from "../../functions/analytics/analytics-config";
import { grantRunnerConfigSchema } from "../../functions/grants/grant-config";
import { preTokenGenerationConfigSchema } from "../../functions/handlers/pre-token-generation";
import { parseHttpApiConfig } from "../../functions/http/config";
import { memberImportConfigSchema } from "../../functions/migration/import-config";
import { retentionConfigEnvSchema, sesFeedbackConfigEnvSchema } from "../../functions/retention/config";
import { parseConfig } from "../../functions/shared/config";
import { consumerConfigSchema } from "../../functions/shared/consumer-config";
import { publisherConfigSchema } from "../../functions/shared/publisher-config";
import { functionSpecs } from "../../infra/function-specs";
import { repoRoot } from "../../infra/patron-function";
import type { PatronStack } from "../../infra/patron-stack";
import { logicalId, render, SYNTH_TIMEOUT_MS, synthPatron, TEST_ENV } from "./synth-patron";

// Every handler parses its environment once at cold start and fails on a missing variable, so the stack
// must set each variable the handler's config requires, in a form the config accepts.

type Env = Record<string, string | undefined>;

interface HandlerConfig {
  /** Variables the config rejects the environment without. */
  readonly required: readonly string[];
  /** What the handler calls on its environment at cold start. */
  readonly parse: (env: Env) => unknown;
}

/** Keys of a zod object schema that neither are optional nor have a default. */
function requiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([key]) => key);
}

function fromSchema(schema: z.ZodObject): HandlerConfig {
  return { required: requiredKeys(schema), parse: (env) => parseConfig(schema, env) };
}

/**
 * The HTTP API's zod schema is private to functions/http/config.ts, so its required variables are listed
 * here; the "HTTP API list" test below checks this list against parseHttpApiConfig itself.
 */
const HTTP_API_REQUIRED = ["TABLE_NAME", "SIGNING_SECRET_ARN"];

const consumer = fromSchema(consumerConfigSchema);
/** The config each handler in functions/handlers parses (see its `handler` export). */
const handlerConfigs: Record<string, HandlerConfig> = {
  "purchase-completed": consumer,
  "purchase-refunded": consumer,
  "interaction-recorded": consumer,
  "member-enrolled": consumer,
  "member-updated": consumer,
  "referral-completed": consumer,
  "unrouted-events": consumer,
  "outbox-publisher": fromSchema(publisherConfigSchema),
  "http-api": { required: HTTP_API_REQUIRED, parse: parseHttpApiConfig },
  "retention-job": fromSchema(retentionConfigEnvSchema),
  "analytics-job": fromSchema(analyticsConfigSchema),
  "ses-feedback": fromSchema(sesFeedbackConfigEnvSchema),
  "pre-token-generation": fromSchema(preTokenGenerationConfigSchema),
  "grant-runner": fromSchema(grantRunnerConfigSchema),
  "member-import": fromSchema(memberImportConfigSchema),
};

/** Values that CloudFormation fills in at deploy time (references), stood in by valid samples. */
const DEPLOY_TIME_SAMPLES: Record<string, string> = {
  TABLE_NAME: "Patron-dev-Table-ABC123",
  EVENT_BUS_NAME: "patron-dev",
  SES_CONFIGURATION_SET: "patron-dev",
  SIGNING_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:PatronSigningSecret-AbCdEf",
  PUBLIC_API_URL: "https://abc123.execute-api.eu-west-1.amazonaws.com/",
};

let stack: PatronStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthPatron());
}, SYNTH_TIMEOUT_MS);

function environmentOf(name: string): Record<string, unknown> {
  const fn = stack.stateless.functionFor(name);
  return template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
}

/** The environment the function will see, deploy-time values replaced by their samples. */
function deployedEnvironmentOf(name: string): Env {
  const env: Env = {};
  for (const [key, value] of Object.entries(environmentOf(name))) {
    const literal = typeof value === "string" && !value.includes("{{resolve:");
    if (literal) {
      env[key] = value;
      continue;
    }
    const sample = DEPLOY_TIME_SAMPLES[key];
    if (sample === undefined) throw new Error(`${name}: no sample for deploy-time variable ${key}`);
    env[key] = sample;
  }
  return env;
}

describe("handler configuration", () => {
  it("covers exactly the functions in infra/function-specs.ts, one per file in functions/handlers", () => {
    const specNames = functionSpecs.map((spec) => spec.name).sort();
    const handlerFiles = readdirSync(join(repoRoot, "functions", "handlers"))
      .filter((file) => file.endsWith(".ts"))
      .map((file) => file.slice(0, -".ts".length));
    expect(handlerFiles.sort()).toEqual(specNames);
    expect(Object.keys(handlerConfigs).sort()).toEqual(specNames);
  });

  describe.each(Object.entries(handlerConfigs))("%s", (name, config) => {
    it("has every variable its config requires", () => {
      expect(config.required.length).toBeGreaterThan(0);
      const present = Object.keys(environmentOf(name));
      expect(config.required.filter((key) => !present.includes(key))).toEqual([]);
    });

    it("has an environment its config accepts", () => {
      expect(() => config.parse(deployedEnvironmentOf(name))).not.toThrow();
    });
  });

  it("HTTP API list: parseHttpApiConfig accepts exactly these variables and rejects the loss of any", () => {
    const env = Object.fromEntries(HTTP_API_REQUIRED.map((key) => [key, DEPLOY_TIME_SAMPLES[key]]));
    expect(() => parseHttpApiConfig(env)).not.toThrow();
    for (const key of HTTP_API_REQUIRED) {
      expect(() => parseHttpApiConfig({ ...env, [key]: undefined }), key).toThrow(key);
    }
  });
});

describe("PUBLIC_API_URL", () => {
  it("is the HTTP API's https base URL, built from the API id", () => {
    const apiId = logicalId(stack.stateless.httpApi.api);
    const url = render(environmentOf("retention-job").PUBLIC_API_URL);
    expect(url).toBe(`https://<${apiId}>.execute-api.${TEST_ENV.region}.<AWS::URLSuffix>/`);
  });
});

/** Names that say "this is a secret"; `_ARN`/`_NAME` variables only point at one. */
const SECRET_LIKE_NAME = /SECRET|PASSWORD|PASSPHRASE|PRIVATE|CREDENTIAL|TOKEN|(^|_)KEY$|API_KEY/;
const SECRET_REFERENCE_NAME = /_(ARN|NAME)$/;

describe("secrets", () => {
  // A Lambda environment is readable by anyone with lambda:GetFunctionConfiguration and is stored in
  // the function's configuration: secrets are fetched at cold start, the environment names them only.
  it.each(functionSpecs.map((spec) => spec.name))("%s: no secret value in the environment", (name) => {
    for (const [key, value] of Object.entries(environmentOf(name))) {
      expect(render(value), key).not.toMatch(/\{\{resolve:(secretsmanager|ssm-secure):/);
      if (SECRET_LIKE_NAME.test(key)) expect(key).toMatch(SECRET_REFERENCE_NAME);
    }
  });

  it("SIGNING_SECRET_ARN is the signing secret's ARN, for the token signers only", () => {
    const secretArn = `<${logicalId(stack.stateful.signingSecret)}>`;
    for (const spec of functionSpecs) {
      const value = environmentOf(spec.name).SIGNING_SECRET_ARN;
      if (spec.signsTokens) expect(render(value), spec.name).toBe(secretArn);
      else expect(value, spec.name).toBeUndefined();
    }
  });
});
