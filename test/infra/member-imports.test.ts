import type { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ACCESS_LOG_EXPIRY_DAYS,
  IMPORT_BATCH_BYTES,
  IMPORT_BATCH_CONCURRENCY,
  IMPORT_BATCH_SIZE,
  type MemberImports,
  RESULT_EXPIRY_DAYS,
  UPLOAD_EXPIRY_DAYS,
} from "../../infra/member-imports";
import type { PatronStack } from "../../infra/patron-stack";
import { grantsOfRole, logicalId, render, SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

// The deployed migration import: a private, encrypted, expiring import bucket whose uploads start a state
// machine through EventBridge; two Distributed Maps over the file (check, then import) in batches, each
// batch retried, results written back under results/; IAM scoped to the prefixes; cdk-nag clean.

// biome-ignore lint/suspicious/noExplicitAny: template JSON and the state language are untyped here.
type Json = Record<string, any>;

let app: App;
let stack: PatronStack;
let template: Template;
let resources: Record<string, Json>;
let imports: MemberImports;

beforeAll(() => {
  ({ app, stack, template } = synthPatron());
  resources = template.toJSON().Resources;
  const group = stack.stateless.functionFor("member-import").node.scope;
  imports = group?.node.findChild("Imports") as MemberImports;
}, SYNTH_TIMEOUT_MS);

const props = (construct: { node: { defaultChild?: unknown } }) =>
  resources[logicalId(construct as never)]?.Properties as Json;

/** The state machine's definition, every reference rendered as `<LogicalId...>`. */
function definition(): Json {
  const machine = props(imports.stateMachine);
  return JSON.parse(render(machine.DefinitionString));
}

/** Every state of the definition, nested ones included, by name. */
function allStates(states: Json, into: Json = {}): Json {
  for (const [name, state] of Object.entries(states)) {
    into[name] = state;
    if (state.ItemProcessor) allStates(state.ItemProcessor.States, into);
  }
  return into;
}

describe("the import bucket", () => {
  it("is encrypted, private, TLS-only, unversioned and logs access to its own log bucket", () => {
    const bucket = props(imports.bucket);
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: "AES256",
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.VersioningConfiguration).toBeUndefined();
    expect(render(bucket.LoggingConfiguration.DestinationBucketName)).toBe(
      `<${logicalId(imports.accessLogs)}>`,
    );
    const policy = Object.values(resources).find(
      (r) =>
        r.Type === "AWS::S3::BucketPolicy" &&
        render(r.Properties.Bucket) === `<${logicalId(imports.bucket)}>`,
    );
    expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it("expires uploads, results and access logs after the stated days", () => {
    const rules = props(imports.bucket).LifecycleConfiguration.Rules as Json[];
    const byId = Object.fromEntries(rules.map((rule) => [rule.Id, rule]));
    expect(byId["expire-uploads"]).toMatchObject({
      Prefix: "uploads/",
      ExpirationInDays: UPLOAD_EXPIRY_DAYS,
    });
    expect(byId["expire-results"]).toMatchObject({
      Prefix: "results/",
      ExpirationInDays: RESULT_EXPIRY_DAYS,
    });
    expect(byId["abort-incomplete-uploads"]).toMatchObject({
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
    const logRules = props(imports.accessLogs).LifecycleConfiguration.Rules as Json[];
    expect(logRules).toEqual([expect.objectContaining({ ExpirationInDays: ACCESS_LOG_EXPIRY_DAYS })]);
  });

  it("sends its events to EventBridge, where a rule starts the state machine for uploads only", () => {
    expect(props(imports.bucket).NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    const rule = Object.values(resources).find(
      (r) => r.Type === "AWS::Events::Rule" && r.Properties.EventPattern?.source?.includes("aws.s3"),
    );
    expect(rule?.Properties.EventPattern).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created"],
      detail: {
        bucket: { name: [{ Ref: logicalId(imports.bucket) }] },
        object: { key: [{ prefix: "uploads/" }] },
      },
    });
    const [target] = (rule?.Properties.Targets ?? []) as Json[];
    expect(render(target?.Arn)).toBe(`<${logicalId(imports.stateMachine)}>`);
    expect(JSON.parse(target?.InputTransformer.InputTemplate.replace(/<([\w-]+)>/g, '"$1"'))).toEqual({
      bucket: "detail-bucket-name",
      key: "detail-object-key",
    });
    expect(render(target?.DeadLetterConfig.Arn)).toBe(`<${logicalId(imports.deadLetterQueue)}.Arn>`);
  });
});

describe("the import state machine", () => {
  it("starts, checks every row, decides, imports, and finishes", () => {
    const { StartAt, States } = definition();
    expect(States[StartAt].Parameters).toMatchObject({ action: "start", "key.$": "$.key" });
    const proceed = States[States[StartAt].Next];
    expect(proceed.Choices[0]).toMatchObject({ Variable: "$.start.proceed", BooleanEquals: true });
    const checkFormat = States[proceed.Choices[0].Next];
    const checkCsv = States[checkFormat.Choices[0].Next];
    const checked = States[checkCsv.Next];
    expect(checked.Parameters).toMatchObject({ action: "checked" });
    const decision = States[checked.Next];
    expect(States[decision.Default]).toMatchObject({ Type: "Fail", Error: "ImportRejected" });
    const importFormat = States[decision.Choices[0].Next];
    const importCsv = States[importFormat.Choices[0].Next];
    const importJsonl = States[importFormat.Default];
    expect(States[importCsv.Next].Parameters).toMatchObject({
      action: "finish",
      "manifest.$": "$.imported.ResultWriterDetails",
    });
    expect(importJsonl.Next).toBe(importCsv.Next);
    expect(importCsv.ItemProcessor.States[importCsv.ItemProcessor.StartAt].Parameters).toMatchObject({
      action: "batch",
      pass: "import",
    });
  });

  it("reads the file with a Distributed Map in batches, bounded, retried, results written back", () => {
    const maps = Object.entries(allStates(definition().States)).filter(([, s]) => s.Type === "Map");
    expect(maps.map(([name]) => name).sort()).toEqual(["CheckCsv", "CheckJsonl", "ImportCsv", "ImportJsonl"]);
    for (const [name, map] of maps) {
      expect(map.ItemProcessor.ProcessorConfig, name).toEqual({
        Mode: "DISTRIBUTED",
        ExecutionType: "STANDARD",
      });
      expect(map.ItemReader.Resource, name).toMatch(/:states:::s3:getObject$/);
      expect(map.ItemReader.ReaderConfig, name).toEqual(
        name.endsWith("Csv") ? { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" } : { InputType: "JSONL" },
      );
      expect(map.ItemReader.Parameters, name).toEqual({
        Bucket: `<${logicalId(imports.bucket)}>`,
        "Key.$": "$.key",
      });
      expect(map.ItemSelector, name).toEqual({
        "index.$": "$$.Map.Item.Index",
        "record.$": "$$.Map.Item.Value",
      });
      expect(map.ItemBatcher, name).toEqual({
        MaxItemsPerBatch: IMPORT_BATCH_SIZE,
        MaxInputBytesPerBatch: IMPORT_BATCH_BYTES,
        BatchInput: { "job.$": "$.start.job" },
      });
      expect(map.MaxConcurrency, name).toBe(IMPORT_BATCH_CONCURRENCY);
      expect(map.ResultWriter.Parameters, name).toEqual({
        Bucket: `<${logicalId(imports.bucket)}>`,
        Prefix: "results",
      });
      const worker = map.ItemProcessor.States[map.ItemProcessor.StartAt];
      expect(
        worker.Retry.some((r: Json) => r.ErrorEquals.includes("States.TaskFailed") && r.MaxAttempts >= 2),
      ).toBe(true);
      expect(map.Catch[0].Next, name).toBe("FinishFailed");
    }
  });

  it("reads only uploads, writes only results, and invokes only the member-import function", () => {
    const role = imports.stateMachine.role;
    const grants = grantsOfRole(template, logicalId(role));
    const bucket = `<${logicalId(imports.bucket)}.Arn>`;
    const s3 = grants.filter((g) => g.action.startsWith("s3:"));
    expect(
      s3
        .filter((g) => g.action === "s3:GetObject")
        .map((g) => g.resource)
        .sort(),
    ).toEqual([`${bucket}/results/*`, `${bucket}/uploads/*`]);
    for (const g of s3.filter((g) => g.action !== "s3:GetObject"))
      expect(g.resource).toBe(`${bucket}/results/*`);
    const worker = logicalId(stack.stateless.functionFor("member-import"));
    for (const g of grants.filter((g) => g.action === "lambda:InvokeFunction"))
      expect(g.resource).toMatch(new RegExp(`^<${worker}\\.Arn>(:\\*)?$`));
    expect(grants.filter((g) => g.action.startsWith("dynamodb:"))).toEqual([]);
  });

  it("is logged and traced", () => {
    const machine = props(imports.stateMachine);
    expect(machine.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.LoggingConfiguration).toMatchObject({ Level: "ALL", IncludeExecutionData: false });
  });

  it("passes cdk-nag with nothing unacknowledged", () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const paths = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName}: ${r.constructPath}`),
    );
    expect(paths).toEqual([]);
  });
});
