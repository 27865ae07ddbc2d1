import type { TableAccess } from "./grants";

export interface ScheduleTime {
  readonly hour?: number;
  readonly minute: number;
}

/** `daily at 02:00 UTC` or `hourly at :15` — the schedule's description, and what `npm start` prints. */
export function describeSchedule(at: ScheduleTime): string {
  const mm = String(at.minute).padStart(2, "0");
  return at.hour === undefined
    ? `hourly at :${mm}`
    : `daily at ${String(at.hour).padStart(2, "0")}:${mm} UTC`;
}

/** How a function is invoked; decides its event source, retries and failure queues. */
export type FunctionTrigger =
  /** A rule on Patron's bus from events/rules.ts (`consumerRules[i].consumer === name`). */
  | { readonly kind: "consumer-rule" }
  /** The table's stream (the transactional outbox). */
  | { readonly kind: "table-stream" }
  /** The HTTP API. */
  | { readonly kind: "http-api" }
  /** EventBridge Scheduler in UTC: daily at `hour:minute`, or hourly at `minute` past when `hour` is absent. */
  | { readonly kind: "schedule"; readonly at: ScheduleTime }
  /** SES bounce/complaint events (SES only publishes to the default bus). */
  | { readonly kind: "ses-feedback" }
  /** The members' user pool's pre-token-generation trigger (event version 2: it changes access tokens too). */
  | { readonly kind: "cognito-pre-token" }
  /** The steps of the bulk grant state machine (infra/grant-runs.ts). */
  | { readonly kind: "grant-runs" }
  /** The steps of the migration import state machine, started by an upload (infra/member-imports.ts). */
  | { readonly kind: "member-imports" };

export interface FunctionSpec {
  /** Handler file `functions/handlers/<name>.ts`. */
  readonly name: string;
  readonly description: string;
  readonly trigger: FunctionTrigger;
  readonly table?: TableAccess;
  /** `dynamodb:Scan` on the table itself (never its indexes): whole-table batch reads. */
  readonly scansTable?: boolean;
  /** PutEvents on Patron's bus as source "patron". */
  readonly publishesEvents?: boolean;
  /** SES SendEmail through Patron's identity and configuration set. */
  readonly sendsEmail?: boolean;
  /** Reads the signing secret named by SIGNING_SECRET_ARN (unsubscribe links, cursors, voucher codes). */
  readonly signsTokens?: boolean;
  /** Gets PUBLIC_API_URL, the HTTP API's https base URL (links in e-mails, e.g. RFC 8058 unsubscribe). */
  readonly linksToApi?: boolean;
  readonly timeoutSeconds?: number;
  readonly memorySize?: number;
  /** Concurrency reserved for (and capping) this function; the account must keep 100 unreserved. */
  readonly reservedConcurrency?: number;
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
    // Patron's own Referral Completed (events/rules.ts): the referrer's reward in the referrer's partition.
    name: "referral-completed",
    description: "Reward the referrer of a completed referral (within the programme's limit)",
    trigger: { kind: "consumer-rule" },
    table: "readWrite",
  },
  {
    // The catch-all rule (events/rules.ts): producer events no other rule routes are parked, not lost.
    name: "unrouted-events",
    description: "Park and count producer events that no consumer handles",
    trigger: { kind: "consumer-rule" },
    // PutItem of the REJECTED#<day> item only; "readWrite" is the narrowest grant that includes it.
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
    // A flood of API calls may not take the concurrency the event consumers need (they share the account's pool).
    reservedConcurrency: 100,
    // Just under API Gateway's 30 s integration limit: a burst of redemptions on one member retries
    // optimistically (up to 25 attempts) and must not be cut off while it converges.
    timeoutSeconds: 29,
  },
  {
    // Also expires points and runs tier reviews for the members it reads: no separate expiry job.
    // Hourly, so an e-mail deferred by quiet hours or the frequency cap goes out within the hour its
    // time comes, whatever the member's time zone; only the first run from 09:00 UTC reads the day's
    // due members (DUE_BUCKETS_FROM_HOUR_UTC), the others just send what is owed.
    name: "retention-job",
    description:
      "Hourly: owed e-mails; from 09:00 UTC the day's due members (expiry, tiers, lifecycle, e-mails)",
    trigger: { kind: "schedule", at: { minute: 0 } },
    table: "readWrite",
    // Member Lapsing, Offer Sent and Member Won Back go straight to the bus; the ones it refuses are parked in
    // the table for the outbox publisher (functions/adapters/bus/parked-events.ts).
    publishesEvents: true,
    sendsEmail: true,
    signsTokens: true,
    linksToApi: true,
    timeoutSeconds: 900,
    memorySize: 512,
  },
  {
    name: "analytics-job",
    description: "Nightly: fit value models, score members (RFM, P(alive), CLV), write changed scores",
    // Before the retention job (09:00), which reads the scores for its lapse model and offer sizing.
    trigger: { kind: "schedule", at: { hour: 1, minute: 0 } },
    table: "readWrite",
    // A parallel Scan of the STATE items (functions/analytics/analytics-store.ts).
    scansTable: true,
    timeoutSeconds: 900,
    // 1769 MB is one full vCPU: the fit and the scoring are single-threaded CPU work.
    memorySize: 1769,
  },
  {
    name: "grant-runner",
    description:
      "Bulk grants: start a run, credit one part of the audience (a page budget at a time), finish",
    trigger: { kind: "grant-runs" },
    table: "readWrite",
    // A segment, tier or stage audience is a parallel Scan of the STATE items (functions/grants/grant-audience.ts).
    scansTable: true,
    timeoutSeconds: 900,
    memorySize: 512,
  },
  {
    name: "member-import",
    description: "Migration imports: start from an upload, check or import a batch of rows, finish",
    trigger: { kind: "member-imports" },
    table: "readWrite",
    // A batch of 100 rows writes each new member in one transaction, 10 at a time, with retries.
    timeoutSeconds: 300,
    memorySize: 512,
  },
  {
    // Synchronous for Cognito, which waits at most 5 s for a trigger and then fails the sign-in.
    name: "pre-token-generation",
    description: "Members' tokens: the members group and the linked memberId; links by verified e-mail",
    trigger: { kind: "cognito-pre-token" },
    // GetItem of the link, a Query of the e-mail index, and the link transaction (verified e-mail).
    table: "readWrite",
    timeoutSeconds: 5,
  },
  {
    name: "ses-feedback",
    description: "Mark addresses that bounced or complained as undeliverable",
    trigger: { kind: "ses-feedback" },
    // Reads and rewrites the member's PROFILE item (IAM cannot narrow a grant to one sort key).
    table: "readWrite",
  },
];
