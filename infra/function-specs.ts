import type { TableAccess } from "./grants";

/** How a function is invoked; decides its event source, retries and failure queues. */
export type FunctionTrigger =
  /** A rule on Patron's bus from events/rules.ts (`consumerRules[i].consumer === name`). */
  | { readonly kind: "consumer-rule" }
  /** The table's stream (the transactional outbox). */
  | { readonly kind: "table-stream" }
  /** The HTTP API. */
  | { readonly kind: "http-api" }
  /** EventBridge Scheduler, a cron expression in UTC. */
  | { readonly kind: "schedule"; readonly cron: { readonly hour: string; readonly minute: string } }
  /** SES bounce/complaint events (SES only publishes to the default bus). */
  | { readonly kind: "ses-feedback" };

export interface FunctionSpec {
  /** Handler file `functions/handlers/<name>.ts`. */
  readonly name: string;
  readonly description: string;
  readonly trigger: FunctionTrigger;
  readonly table?: TableAccess;
  /** PutEvents on Patron's bus as source "patron". */
  readonly publishesEvents?: boolean;
  /** SES SendEmail through Patron's identity and configuration set. */
  readonly sendsEmail?: boolean;
  /** Gets SIGNING_SECRET (unsubscribe links, cursors, voucher codes). */
  readonly signsTokens?: boolean;
  readonly timeoutSeconds?: number;
  readonly memorySize?: number;
}

/** Every Lambda in the app. A new handler is one entry here. */
export const functionSpecs: readonly FunctionSpec[] = [
  {
    name: "purchase-completed",
    description: "Earn points, update tier and frequency rewards",
    trigger: { kind: "consumer-rule" },
    table: "readWrite",
  },
  {
    name: "purchase-refunded",
    description: "Reverse points for a refunded purchase",
    trigger: { kind: "consumer-rule" },
    table: "readWrite",
  },
  {
    name: "interaction-recorded",
    description: "Record a non-purchase interaction",
    trigger: { kind: "consumer-rule" },
    table: "readWrite",
  },
  {
    name: "member-enrolled",
    description: "Enrol a member in the programme",
    trigger: { kind: "consumer-rule" },
    table: "readWrite",
  },
  {
    name: "member-updated",
    description: "Update a member's profile and consents",
    trigger: { kind: "consumer-rule" },
    table: "readWrite",
  },
  {
    name: "outbox-publisher",
    description: "Publish outbox items from the table stream to the bus",
    trigger: { kind: "table-stream" },
    publishesEvents: true,
  },
  {
    name: "http-api",
    description: "Member and marketer HTTP API",
    trigger: { kind: "http-api" },
    table: "readWrite",
    signsTokens: true,
  },
  {
    name: "retention-job",
    description: "Daily: spot lapsing members, send win-back offers",
    trigger: { kind: "schedule", cron: { hour: "3", minute: "0" } },
    table: "readWrite",
    sendsEmail: true,
    signsTokens: true,
    timeoutSeconds: 900,
    memorySize: 512,
  },
  {
    name: "expiry-job",
    description: "Daily: expire points past their validity",
    trigger: { kind: "schedule", cron: { hour: "2", minute: "0" } },
    table: "readWrite",
    timeoutSeconds: 900,
    memorySize: 512,
  },
  {
    name: "analytics-job",
    description: "Daily: RFM segments and CLV snapshots",
    trigger: { kind: "schedule", cron: { hour: "4", minute: "0" } },
    table: "readWrite",
    timeoutSeconds: 900,
    memorySize: 1024,
  },
  {
    name: "ses-feedback",
    description: "Mark addresses that bounced or complained as undeliverable",
    trigger: { kind: "ses-feedback" },
    table: "readWrite",
  },
];
