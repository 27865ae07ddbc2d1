import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { type IUserPoolClient, LambdaVersion, UserPoolOperation } from "aws-cdk-lib/aws-cognito";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { type ConsumerRule, consumerRules } from "../events/rules";
import { defaultDataRetention } from "./data-retention";
import type { DeadLetterQueue } from "./dead-letter-queue";
import type { FunctionSpec } from "./function-specs";
import { GrantRuns } from "./grant-runs";
import {
  grantApiUrl,
  grantEmailSending,
  grantEventPublishing,
  grantSigningSecret,
  grantTableAccess,
  grantTableScan,
} from "./grants";
import { PatronHttpApi } from "./http-api";
import { MemberImports } from "./member-imports";
import { handlerEntry, PatronFunction } from "./patron-function";
import { ProducerClients } from "./producer-clients";
import type { Stateful } from "./stateful";
import {
  addAsyncFailureDestination,
  scheduleRuns,
  subscribeToRule,
  subscribeToSesFeedback,
  subscribeToTableStream,
} from "./triggers";

export interface StatelessProps {
  readonly envName: string;
  readonly production: boolean;
  readonly stateful: Stateful;
  readonly specs: readonly FunctionSpec[];
  readonly rules?: readonly ConsumerRule[];
  /** The marketer console: its origin is the API's only CORS origin, and the API accepts its client's tokens. */
  readonly console: { readonly origin: string; readonly client: IUserPoolClient };
  /** Tests only: bundle this file instead of functions/handlers/<name>.ts for every function. */
  readonly entryOverride?: string;
  /** Days CloudWatch keeps the functions' and the API's logs (infra/data-retention.ts); default by environment. */
  readonly logRetentionDays?: number;
  /** Coalition partners with a producer: each gets a machine client scoped to its own statement. */
  readonly partners?: readonly string[];
}

/** "purchase-completed" -> "PurchaseCompleted" */
export function constructIdFor(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}

/** One PatronFunction per spec, with its grants, trigger, retries and dead-letter queues. */
export class Stateless extends Construct {
  readonly functions = new Map<string, PatronFunction>();
  readonly deadLetterQueues: DeadLetterQueue[] = [];
  /** Queues between a rule and a consumer fed in batches (events/rules.ts `batchSize`): their backlog is alarmed. */
  readonly eventQueues: Queue[] = [];
  readonly httpApi: PatronHttpApi;

  constructor(scope: Construct, id: string, props: StatelessProps) {
    super(scope, id);
    const { stateful } = props;
    const rules = props.rules ?? consumerRules;
    checkSpecsMatchRules(props.specs, rules);
    const apiSpecs = props.specs.filter((spec) => spec.trigger.kind === "http-api");
    if (apiSpecs.length !== 1) {
      throw new Error(
        `Stateless: exactly one function spec must have trigger "http-api", found ${apiSpecs.length}`,
      );
    }
    const logRetention = (props.logRetentionDays ??
      defaultDataRetention(props.production).logDays) as RetentionDays;
    const logRemovalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const tableTarget = { table: stateful.table, indexNames: stateful.table.indexNames };

    for (const spec of props.specs) {
      const group = new Construct(this, constructIdFor(spec.name));
      const fn = new PatronFunction(group, "Function", {
        name: spec.name,
        entry: props.entryOverride ?? handlerEntry(spec.name),
        description: spec.description,
        logRetention,
        logRemovalPolicy,
        ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
        ...(spec.memorySize ? { memorySize: spec.memorySize } : {}),
      });
      if (spec.reservedConcurrency !== undefined) {
        // Function takes it only at construction, which PatronFunction's props do not pass through.
        (fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = spec.reservedConcurrency;
      }
      this.functions.set(spec.name, fn);
      if (spec.table) grantTableAccess(fn, tableTarget, spec.table);
      if (spec.scansTable) grantTableScan(fn, stateful.table);
      if (spec.publishesEvents) grantEventPublishing(fn, stateful.bus);
      if (spec.sendsEmail) grantEmailSending(fn, stateful.email);
      if (spec.signsTokens) grantSigningSecret(fn, stateful.signingSecret);

      const queues = this.deadLetterQueues;
      switch (spec.trigger.kind) {
        case "consumer-rule":
          for (const rule of rules.filter((candidate) => candidate.consumer === spec.name)) {
            const subscribed = subscribeToRule(
              new Construct(group, `${constructIdFor(rule.id)}Rule`),
              fn,
              stateful.bus,
              rule,
            );
            queues.push(...subscribed.deadLetterQueues);
            if (subscribed.queue) this.eventQueues.push(subscribed.queue);
          }
          queues.push(addAsyncFailureDestination(group, fn));
          break;
        case "ses-feedback":
          queues.push(
            subscribeToSesFeedback(
              group,
              fn,
              stateful.defaultBus,
              stateful.configurationSet.configurationSetName,
            ),
          );
          queues.push(addAsyncFailureDestination(group, fn));
          break;
        case "schedule":
          queues.push(scheduleRuns(group, fn, spec.trigger.at));
          queues.push(addAsyncFailureDestination(group, fn));
          break;
        case "table-stream":
          queues.push(subscribeToTableStream(group, fn, stateful.table));
          if (fn.role) {
            Validations.of(fn.role).acknowledge({
              id: "AwsSolutions-IAM5[Resource::*]",
              reason:
                "dynamodb:ListStreams, which the stream event source needs, has no resource-level permissions; stream reads are limited to this table's stream ARN.",
            });
          }
          break;
        case "http-api":
          break;
        case "grant-runs":
          queues.push(
            new GrantRuns(group, "Runs", {
              runner: fn,
              table: stateful.table,
              logRetention,
              logRemovalPolicy,
            }).startFailures,
          );
          break;
        case "member-imports":
          queues.push(
            new MemberImports(group, "Imports", {
              worker: fn,
              production: props.production,
              logRetention,
              logRemovalPolicy,
            }).deadLetterQueue,
          );
          break;
        case "cognito-pre-token":
          // Only the members' pool: marketers' tokens are not touched.
          stateful.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, fn, LambdaVersion.V2_0);
          break;
      }
    }

    // Producers' machine clients call service routes on `$default`, which takes the marketers' pool's tokens.
    const producers = new ProducerClients(this, "ProducerClients", {
      userPool: stateful.marketers.userPool,
      ...(props.partners && { partners: props.partners }),
    });
    this.httpApi = new PatronHttpApi(this, "Api", {
      envName: props.envName,
      handler: this.functionFor(apiSpecs[0]?.name),
      members: { userPool: stateful.userPool, clients: [stateful.userPoolClient] },
      marketers: {
        userPool: stateful.marketers.userPool,
        clients: [props.console.client, producers.client, ...producers.partnerClients.values()],
      },
      corsOrigins: [props.console.origin],
      logRetention,
      logRemovalPolicy,
    });
    // Once the API exists. The URL refers to the API's id only (not its stage, routes or integration),
    // so the function depends on the API and never the other way round: no cycle.
    for (const spec of props.specs.filter((candidate) => candidate.linksToApi)) {
      grantApiUrl(this.functionFor(spec.name), this.httpApi.url);
    }
  }

  functionFor(name: string | undefined): PatronFunction {
    const fn = name === undefined ? undefined : this.functions.get(name);
    if (!fn) throw new Error(`Stateless: no function named "${name}"`);
    return fn;
  }
}

/** A rule without a handler, or a consumer without a rule, is a wiring mistake: fail the synth. */
function checkSpecsMatchRules(specs: readonly FunctionSpec[], rules: readonly ConsumerRule[]): void {
  const consumers = new Set(
    specs.filter((spec) => spec.trigger.kind === "consumer-rule").map((spec) => spec.name),
  );
  for (const rule of rules) {
    if (!consumers.has(rule.consumer)) {
      throw new Error(
        `Rule "${rule.id}" targets consumer "${rule.consumer}", which has no function spec with trigger "consumer-rule" in infra/function-specs.ts`,
      );
    }
  }
  for (const consumer of consumers) {
    if (!rules.some((rule) => rule.consumer === consumer)) {
      throw new Error(
        `Function "${consumer}" has trigger "consumer-rule" but no rule in events/rules.ts targets it`,
      );
    }
  }
}
