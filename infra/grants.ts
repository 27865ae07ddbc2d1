import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { PATRON_SOURCE } from "../events/sources";
import type { PatronFunction } from "./patron-function";

/*
 * Each grant adds exactly the actions a handler uses, on exactly the resources it touches, and sets
 * the environment variables the handler reads to find them, so the two can never drift apart.
 */

export type TableAccess = "read" | "readWrite";

const TABLE_READ_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
];
const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];

export interface TableGrantTarget {
  readonly table: ITable;
  /** GSIs by name: queries on them are granted per index ARN, never `index/*`. */
  readonly indexNames: readonly string[];
}

export function grantTableAccess(fn: PatronFunction, target: TableGrantTarget, access: TableAccess): void {
  const { table, indexNames } = target;
  const actions = access === "read" ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
  fn.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn] }));
  if (indexNames.length > 0) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: indexNames.map((name) => `${table.tableArn}/index/${name}`),
      }),
    );
  }
  fn.addEnvironment("TABLE_NAME", table.tableName);
}

/**
 * `dynamodb:Scan` on the table ARN only: a Scan of an index would need `<table>/index/<name>`, which is
 * deliberately not granted (the analytics job scans base-table STATE items).
 */
export function grantTableScan(fn: PatronFunction, table: ITable): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ["dynamodb:Scan"], resources: [table.tableArn] }));
  fn.addEnvironment("TABLE_NAME", table.tableName);
}

/** PutEvents on this bus only, and only as Patron itself (source "patron"). */
export function grantEventPublishing(fn: PatronFunction, bus: IEventBus): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ["events:PutEvents"],
      resources: [bus.eventBusArn],
      conditions: { StringEquals: { "events:source": [PATRON_SOURCE] } },
    }),
  );
  fn.addEnvironment("EVENT_BUS_NAME", bus.eventBusName);
}

export interface EmailSending {
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  readonly senderAddress: string;
}

/** SendEmail through the verified identity and Patron's configuration set, from the sender address only. */
export function grantEmailSending(fn: PatronFunction, email: EmailSending): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ["ses:SendEmail"],
      resources: [email.identityArn, email.configurationSetArn],
      conditions: { StringEquals: { "ses:FromAddress": email.senderAddress } },
    }),
  );
  fn.addEnvironment("SES_CONFIGURATION_SET", email.configurationSetName);
  fn.addEnvironment("SENDER_ADDRESS", email.senderAddress);
}

/**
 * GetSecretValue on the signing secret, and `SIGNING_SECRET_ARN` naming it: the handler fetches the
 * value at cold start (functions/shared/secrets.ts). The value never enters the environment, where
 * anyone allowed lambda:GetFunctionConfiguration could read it. The default `aws/secretsmanager` key
 * encrypts it, so no KMS grant is needed.
 */
export function grantSigningSecret(fn: PatronFunction, secret: ISecret): void {
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [secret.secretArn] }),
  );
  fn.addEnvironment("SIGNING_SECRET_ARN", secret.secretArn);
}

/**
 * `PUBLIC_API_URL`: the API's https base URL, for links a member follows from an e-mail. Built from the
 * API id alone (no reference to the function or the stage), so it adds no dependency cycle.
 */
export function grantApiUrl(fn: PatronFunction, apiUrl: string): void {
  fn.addEnvironment("PUBLIC_API_URL", apiUrl);
}
