import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { inboundEvents } from "../events/catalog";
import type { ConsumerRule } from "../events/rules";
import {
  DEVELOPMENT_SIGN_IN_URLS,
  defaultProducers,
  isProduction,
  type ProducerInput,
  parseEnvName,
  parseProducers,
  parseSender,
  parseUrlList,
  producerSourcePatterns,
  refundAuthoritySources,
  type SignInUrls,
} from "./config";
import { ConsoleHosting } from "./console-hosting";
import { type DataRetentionInput, erasureBoundDays, parseDataRetention } from "./data-retention";
import { type FunctionSpec, functionSpecs } from "./function-specs";
import { Monitoring } from "./monitoring";
import { ProducerAccess } from "./producer-access";
import { PatronSchemaRegistry } from "./schema-registry";
import { SignInFirewall } from "./sign-in-firewall";
import { Stateful } from "./stateful";
import { Stateless } from "./stateless";

export interface PatronStackProps extends StackProps {
  /** Environment name, e.g. "dev" or "prod"; "prod" turns on deletion protection and retention. */
  readonly envName: string;
  /** SES identity to send from: an e-mail address or a domain. Required. */
  readonly sender: string;
  /** Producers allowed to put events on the bus; default: a POS and a web shop in this account. */
  readonly producers?: readonly ProducerInput[];
  /** Hosted UI redirect URLs of the web app; required in `prod`, localhost elsewhere by default. */
  readonly signInUrls?: SignInUrls;
  /** Archive and log retention; bounds how long an erased member's PII outlives the erasure. */
  readonly dataRetention?: DataRetentionInput;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
  /** Defaults to infra/function-specs.ts. */
  readonly functionSpecs?: readonly FunctionSpec[];
  /** Defaults to events/rules.ts. */
  readonly consumerRules?: readonly ConsumerRule[];
  /** A WAF rate limit per IP on the Cognito sign-up and sign-in endpoints (default: on in prod only). */
  readonly signInFirewall?: boolean;
  /** Tests only: bundle this file for every function instead of functions/handlers/<name>.ts. */
  readonly entryOverride?: string;
}

/** Sign-in, sign-up and reset requests per client IP in any 5 minutes before WAF blocks the IP. */
const SIGN_IN_REQUESTS_PER_FIVE_MINUTES = 300;

/** The whole Patron deployment: data and identity (stateful) plus code and wiring (stateless). */
export class PatronStack extends Stack {
  readonly stateful: Stateful;
  readonly stateless: Stateless;
  readonly console: ConsoleHosting;
  readonly producerAccess: ProducerAccess;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: PatronStackProps) {
    // Validate before creating anything, so misuse fails with one clear message.
    const envName = parseEnvName(props.envName);
    const sender = parseSender(props.sender);
    const producers = props.producers === undefined ? defaultProducers : parseProducers(props.producers);
    const signInUrls = parseSignInUrls(props.signInUrls, envName);
    super(scope, id, {
      description: `Patron loyalty platform (${envName})`,
      ...props,
    });
    const production = isProduction(envName);
    const retention = parseDataRetention(props.dataRetention, production);

    this.stateful = new Stateful(this, "Stateful", {
      envName,
      production,
      sender,
      signInUrls,
      archiveRetentionDays: retention.archiveDays,
    });
    this.console = new ConsoleHosting(this, "Console", {
      envName,
      production,
      userPool: this.stateful.marketers.userPool,
      hostedUi: this.stateful.marketers.hostedUi,
    });
    this.stateless = new Stateless(this, "Stateless", {
      envName,
      production,
      stateful: this.stateful,
      console: { origin: this.console.origin, client: this.console.client },
      specs: props.functionSpecs ?? functionSpecs,
      logRetentionDays: retention.logDays,
      partners: [...new Set(producers.flatMap((producer) => (producer.partner ? [producer.partner] : [])))],
      ...(props.consumerRules ? { rules: props.consumerRules } : {}),
      ...(props.entryOverride ? { entryOverride: props.entryOverride } : {}),
    });
    this.console.deploy({ apiUrl: this.stateless.httpApi.api.apiEndpoint });
    const inbound = Object.values(inboundEvents);
    this.producerAccess = new ProducerAccess(this, "Producers", { bus: this.stateful.bus, producers });
    const refunds = this.stateless.functions.get("purchase-refunded");
    const authorities = refundAuthoritySources(producers);
    if (authorities.length > 0) refunds?.addEnvironment("REFUND_AUTHORITY_SOURCES", authorities.join(","));
    // Which sources are one producer's: a store may refund an order another of its producer's stores took.
    refunds?.addEnvironment(
      "PRODUCER_SOURCES",
      producerSourcePatterns(producers)
        .map((sources) => sources.join(","))
        .join(";"),
    );
    new PatronSchemaRegistry(this, "SchemaRegistry", { registryName: `patron-${envName}`, events: inbound });
    if (props.signInFirewall ?? production) {
      new SignInFirewall(this, "SignInFirewall", {
        envName,
        userPools: [this.stateful.userPool, this.stateful.marketers.userPool],
        requestsPerFiveMinutes: SIGN_IN_REQUESTS_PER_FIVE_MINUTES,
      });
    }
    this.monitoring = new Monitoring(this, "Monitoring", {
      envName,
      functions: [...this.stateless.functions.values()],
      deadLetterQueues: this.stateless.deadLetterQueues,
      eventQueues: this.stateless.eventQueues,
      api: this.stateless.httpApi.api,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });

    const outputs: Record<string, [string, string]> = {
      TableName: [this.stateful.table.tableName, "DynamoDB table"],
      EventBusName: [this.stateful.bus.eventBusName, "Bus producers put events on"],
      EventBusArn: [this.stateful.bus.eventBusArn, "Bus ARN"],
      UserPoolId: [this.stateful.userPool.userPoolId, "Cognito user pool of members (self sign-up)"],
      MarketerUserPoolId: [
        this.stateful.marketers.userPool.userPoolId,
        "Cognito user pool of marketers (admin-created, TOTP MFA required); add marketers here",
      ],
      UserPoolClientId: [this.stateful.userPoolClient.userPoolClientId, "Cognito app client for the web app"],
      ConsoleUrl: [
        this.console.url,
        "Marketer console; sign in on the marketers' Hosted UI (marketers group)",
      ],
      ConfigurationSetName: [this.stateful.configurationSet.configurationSetName, "SES configuration set"],
      SenderAddress: [sender.address, "From address; verify the SES identity before sending"],
      ErasureBoundDays: [
        String(erasureBoundDays(retention)),
        "Days after a GDPR erasure by which archive, logs and backups hold none of the member's PII",
      ],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, name, { value, description });
    }
  }
}

function parseSignInUrls(urls: SignInUrls | undefined, envName: string): SignInUrls {
  if (urls === undefined) {
    if (isProduction(envName)) {
      throw new Error(
        "signInUrls are required in prod: pass -c callbackUrls=https://shop.example/auth/callback -c logoutUrls=https://shop.example/",
      );
    }
    return DEVELOPMENT_SIGN_IN_URLS;
  }
  return {
    callbackUrls: parseUrlList(urls.callbackUrls, "callbackUrls"),
    logoutUrls: parseUrlList(urls.logoutUrls, "logoutUrls"),
  };
}
