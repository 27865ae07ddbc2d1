import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { EventField, Rule, RuleTargetInput } from "aws-cdk-lib/aws-events";
import { SfnStateMachine } from "aws-cdk-lib/aws-events-targets";
import { type Policy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import {
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  Fail,
  type IChainable,
  type IItemReader,
  ItemBatcher,
  JsonPath,
  LogLevel,
  ResultWriterV2,
  S3CsvItemReader,
  S3JsonLItemReader,
  StateMachine,
  Succeed,
} from "aws-cdk-lib/aws-stepfunctions";
import { flattenCfnReference } from "cdk-nag/lib/utils/flatten-cfn-reference";
import { Construct } from "constructs";
import { RESULTS_PREFIX, UPLOAD_PREFIX } from "../functions/migration/import-job";
import { DeadLetterQueue } from "./dead-letter-queue";
import { lambdaStep } from "./lambda-step";
import type { PatronFunction } from "./patron-function";
import { RULE_TARGET_RETRY } from "./triggers";

/*
 * A migration import in AWS (README "Operating Patron" → "Migration import"): an upload to
 * `uploads/<mode>/<import id>.csv|.jsonl` in the import bucket starts the state machine (S3 → EventBridge → rule):
 * start → a Distributed Map over the file that checks every row (claims member ids, finds every problem) →
 * checked (an all-or-nothing import with a problem stops here, unwritten) → a Distributed Map that imports the
 * rows → finish. Each map reads the file itself (CSV with a header row, or JSON Lines), hands the worker batches
 * of rows with their index in the file, a bounded number at a time, retries a failed batch, and writes its
 * results and manifest under `results/`. Uploads and results expire; the worker never touches the bucket.
 */

export interface MemberImportsProps {
  readonly worker: PatronFunction;
  readonly production: boolean;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** Rows per batch (one worker invocation) and batches at once. */
export const IMPORT_BATCH_SIZE = 100;
export const IMPORT_BATCH_CONCURRENCY = 10;
/** Bytes of rows per batch: below Step Functions' 256 KiB batch input, which 100 rows of ~1,000 lots pass. */
export const IMPORT_BATCH_BYTES = 192 * 1024;
/** Days an upload (personal data) and a result (row numbers and reasons, no values) are kept. */
export const UPLOAD_EXPIRY_DAYS = 7;
export const RESULT_EXPIRY_DAYS = 30;
export const ACCESS_LOG_EXPIRY_DAYS = 90;

/** The file reader of a map, granted s3:GetObject on the uploads only (the CDK's own grant is the bucket's `*`). */
function uploadsOnly<T extends IItemReader>(reader: T, bucket: IBucket): T {
  reader.providePolicyStatements = () => [
    new PolicyStatement({
      actions: ["s3:GetObject"],
      resources: [bucket.arnForObjects(`${UPLOAD_PREFIX}*`)],
    }),
  ];
  return reader;
}

/** The result writer, granted its writes under results/ only. */
class ResultsWriter extends ResultWriterV2 {
  constructor(private readonly target: IBucket) {
    super({ bucket: target, prefix: RESULTS_PREFIX.slice(0, -1) });
  }
  override providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        actions: ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
        resources: [this.target.arnForObjects(`${RESULTS_PREFIX}*`)],
      }),
    ];
  }
}

export class MemberImports extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly stateMachine: StateMachine;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: MemberImportsProps) {
    super(scope, id);
    const { worker } = props;
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const privateBucket = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy,
      autoDeleteObjects: !props.production,
    };
    this.accessLogs = new Bucket(this, "AccessLogs", {
      ...privateBucket,
      // Server access log delivery writes with the bucket policy the CDK adds; ACLs stay off. (A log
      // destination logging its own access would log the deliveries: cdk-nag S1 does not ask it to.)
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: "expire-logs", expiration: Duration.days(ACCESS_LOG_EXPIRY_DAYS) }],
    });
    this.bucket = new Bucket(this, "Bucket", {
      ...privateBucket,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Off: an upload is replaced by uploading again, and old versions would keep personal data past its expiry.
      versioned: false,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: "import-bucket/",
      lifecycleRules: [
        { id: "expire-uploads", prefix: UPLOAD_PREFIX, expiration: Duration.days(UPLOAD_EXPIRY_DAYS) },
        { id: "expire-results", prefix: RESULTS_PREFIX, expiration: Duration.days(RESULT_EXPIRY_DAYS) },
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    // Native EventBridge notifications (the `eventBridgeEnabled` prop would add a custom-resource Lambda).
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    const invoke = (name: string, payload: Record<string, unknown>, resultPath: string) =>
      lambdaStep(this, name, { fn: worker, payload, resultPath, retryAfter: Duration.seconds(10) });
    const job = {
      importId: JsonPath.stringAt("$.start.job.importId"),
      attempt: JsonPath.numberAt("$.start.job.attempt"),
    };
    const finish = (name: string, manifestPath?: string) =>
      invoke(
        name,
        {
          action: "finish",
          ...job,
          ...(manifestPath && { manifest: JsonPath.objectAt(manifestPath) }),
          ...(manifestPath === undefined && { error: JsonPath.objectAt("$.error") }),
        },
        "$.report",
      );
    const failed = finish("FinishFailed").next(
      new Fail(this, "ImportFailed", {
        error: "ImportFailed",
        cause: "A pass over the file failed: see GET /imports/{id}",
      }),
    );

    /** One pass over the file: a Distributed Map per file format, chosen by the start step's answer. */
    const pass = (name: "check" | "import", resultPath: string, next: IChainable) => {
      const title = name === "check" ? "Check" : "Import";
      const map = (format: "csv" | "jsonl") => {
        // The rule starts the machine for this bucket's uploads only: the key comes from the event.
        const file = { bucket: this.bucket, key: JsonPath.stringAt("$.key") };
        const reader = format === "csv" ? new S3CsvItemReader(file) : new S3JsonLItemReader(file);
        const distributed = new DistributedMap(this, `${title}${format === "csv" ? "Csv" : "Jsonl"}`, {
          comment: `${title} pass over a ${format === "csv" ? "CSV (header row)" : "JSON Lines"} file`,
          itemReader: uploadsOnly(reader, this.bucket),
          itemSelector: {
            index: JsonPath.stringAt("$$.Map.Item.Index"),
            record: JsonPath.objectAt("$$.Map.Item.Value"),
          },
          itemBatcher: new ItemBatcher({
            maxItemsPerBatch: IMPORT_BATCH_SIZE,
            maxInputBytesPerBatch: IMPORT_BATCH_BYTES,
            // BatchInput is passed as written: the path needs the ".$" suffix itself.
            batchInput: { "job.$": "$.start.job" },
          }),
          maxConcurrency: IMPORT_BATCH_CONCURRENCY,
          resultWriterV2: new ResultsWriter(this.bucket),
          resultPath,
        });
        const batch = invoke(
          `${title}Batch${format === "csv" ? "Csv" : "Jsonl"}`,
          {
            action: "batch",
            pass: name,
            job: JsonPath.objectAt("$.BatchInput.job"),
            items: JsonPath.listAt("$.Items"),
          },
          "$",
        );
        distributed.itemProcessor(batch);
        distributed.addCatch(failed, { resultPath: "$.error" });
        return distributed.next(next);
      };
      return new Choice(this, `${title}Format`)
        .when(Condition.stringEquals("$.start.job.format", "csv"), map("csv"))
        .otherwise(map("jsonl"));
    };

    const importPass = pass("import", "$.imported", finish("Finish", "$.imported.ResultWriterDetails"));
    const checked = invoke(
      "Checked",
      { action: "checked", ...job, manifest: JsonPath.objectAt("$.checked.ResultWriterDetails") },
      "$.decision",
    );
    const afterCheck = checked.next(
      new Choice(this, "ImportRows")
        .when(Condition.booleanEquals("$.decision.proceed", true), importPass)
        .otherwise(
          new Fail(this, "NothingWritten", {
            error: "ImportRejected",
            cause: "All-or-nothing import with bad rows: see GET /imports/{id}",
          }),
        ),
    );
    const start = invoke(
      "Start",
      { action: "start", bucket: JsonPath.stringAt("$.bucket"), key: JsonPath.stringAt("$.key") },
      "$.start",
    );
    const definition = start.next(
      new Choice(this, "Proceed")
        .when(Condition.booleanEquals("$.start.proceed", true), pass("check", "$.checked", afterCheck))
        .otherwise(
          new Succeed(this, "NotStarted", {
            comment: "A bad key (the job says why), a finished or running import",
          }),
        ),
    );

    const logs = new LogGroup(this, "Logs", {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stateMachine = new StateMachine(this, "StateMachine", {
      comment:
        "Patron migration import: check every row of the uploaded file, then import them (batches of members)",
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(24),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });

    this.deadLetterQueue = new DeadLetterQueue(
      this,
      "RuleDlq",
      "Upload events EventBridge could not start an import with",
    );
    new Rule(this, "Uploaded", {
      description: "Start a migration import for each file uploaded under uploads/ of the import bucket",
      eventPattern: {
        source: ["aws.s3"],
        detailType: ["Object Created"],
        detail: { bucket: { name: [this.bucket.bucketName] }, object: { key: [{ prefix: UPLOAD_PREFIX }] } },
      },
      targets: [
        new SfnStateMachine(this.stateMachine, {
          input: RuleTargetInput.fromObject({
            bucket: EventField.fromPath("$.detail.bucket.name"),
            key: EventField.fromPath("$.detail.object.key"),
          }),
          deadLetterQueue: this.deadLetterQueue,
          ...RULE_TARGET_RETRY,
        }),
      ],
    });
    new CfnOutput(this, "BucketName", {
      description:
        "Migration imports: aws s3 cp members.csv s3://<bucket>/uploads/valid-rows/<import id>.csv",
      value: this.bucket.bucketName,
    });
    new CfnOutput(this, "Arn", {
      description: "Migration import state machine",
      value: this.stateMachine.stateMachineArn,
    });

    this.acknowledgeNag(worker);
  }

  private acknowledgeNag(worker: PatronFunction): void {
    const stack = Stack.of(this);
    const nagName = (arn: unknown) => flattenCfnReference(stack.resolve(arn));
    const functionLogicalId = stack.getLogicalId(worker.node.defaultChild as CfnElement);
    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
        reason: `lambda:InvokeFunction on ${worker.handlerName}'s qualified ARNs (versions/aliases), added by the Step Functions Lambda task grant.`,
      },
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Step Functions log delivery (logs:CreateLogDelivery and friends) and X-Ray tracing support no resource-level permissions.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagName(this.bucket.arnForObjects(`${UPLOAD_PREFIX}*`))}]`,
        reason:
          "The Distributed Maps read whichever file was uploaded: s3:GetObject on the uploads/ prefix of the import bucket only.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagName(this.bucket.arnForObjects(`${RESULTS_PREFIX}*`))}]`,
        reason:
          "The Distributed Maps write each run's results and manifest under a new map-run id: the results/ prefix only.",
      },
    );
    // Created by the state machine for its Distributed Maps: they start child executions of this machine.
    const mapPolicy = this.stateMachine.node.findChild("DistributedMapPolicy") as Policy;
    const statements = (stack.resolve(mapPolicy.document) as { Statement: { Resource: unknown }[] })
      .Statement;
    const wildcards = statements
      .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]))
      .map(nagName)
      .filter((name) => name.includes("*"));
    Validations.of(mapPolicy).acknowledge(
      ...wildcards.map((name) => ({
        id: `AwsSolutions-IAM5[Resource::${name}]`,
        reason:
          "A Distributed Map's child executions have generated names: Describe/Stop on this state machine's executions only.",
      })),
    );
  }
}
