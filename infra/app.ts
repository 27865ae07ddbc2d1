import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { parseEnvName, parseFlag, parseProducers, parseUrlList } from "./config";
import type { DataRetentionInput } from "./data-retention";
import { PatronStack } from "./patron-stack";

/*
 * Context (cdk.json holds offline defaults; override with -c):
 *   env          dev | prod | ...       "prod" adds deletion protection and RETAIN policies
 *   sender       e-mail or domain       the SES identity Patron sends from (required)
 *   producers    JSON array             [{"name":"pos","sources":["retail.pos.*"],"accountIds":["..."]}]
 *   alarmEmail   e-mail                 subscribed to the alarm topic
 *   callbackUrls, logoutUrls  comma-separated URLs  the web app's Hosted UI redirects (required in prod)
 *   archiveRetentionDays, logRetentionDays  days     bus archive and CloudWatch logs (infra/data-retention.ts)
 *   signInFirewall  true | false       WAF rate limit per IP on Cognito sign-in (default: on in prod only)
 */
const app = new App();
const context = (key: string): unknown => app.node.tryGetContext(key);

const envName = parseEnvName(context("env") ?? "dev");
const producers = context("producers");
const alarmEmail = context("alarmEmail");
const callbackUrls = context("callbackUrls");
const signInFirewall = context("signInFirewall");
const logoutUrls = context("logoutUrls");

new PatronStack(app, `Patron-${envName}`, {
  envName,
  sender: context("sender") as string,
  ...(producers === undefined ? {} : { producers: parseProducers(producers) }),
  ...(typeof alarmEmail === "string" && alarmEmail !== "" ? { alarmEmail } : {}),
  ...(signInFirewall === undefined ? {} : { signInFirewall: parseFlag(signInFirewall, "signInFirewall") }),
  ...(callbackUrls === undefined && logoutUrls === undefined
    ? {}
    : {
        signInUrls: {
          callbackUrls: parseUrlList(callbackUrls, "callbackUrls"),
          logoutUrls: parseUrlList(logoutUrls, "logoutUrls"),
        },
      }),
  dataRetention: {
    archiveDays: context("archiveRetentionDays") as DataRetentionInput["archiveDays"],
    logDays: context("logRetentionDays") as DataRetentionInput["logDays"],
  },
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// Synthesis fails on any AwsSolutions finding that is not acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
