import { describeSchedule } from "../../infra/function-specs";
import { scheduleOf } from "./jobs";
import type { Platform } from "./platform";

/** A Member Enrolled entry for the AWS CLI; one line, since the Detail is a JSON string inside JSON. */
function exampleEntries(): string {
  const detail = {
    schemaVersion: "1",
    memberId: "m-1",
    occurredAt: new Date().toISOString(),
    email: "m-1@example.test",
    locale: "en-GB",
    timeZone: "Europe/London",
    consent: { email: true, sms: false, push: false },
  };
  return JSON.stringify([
    { Source: "retail.web.shop", DetailType: "Member Enrolled", Detail: JSON.stringify(detail) },
  ]);
}

export interface BannerOptions {
  dataDir?: string;
  /** Events the consumers parked as unprocessable on `day` (UTC), so far. */
  rejected?: { day: string; count: number };
}

/** What runs where, and how to use it: printed by `npm start` once every part is up. */
export function platformBanner(platform: Platform, options: BannerOptions = {}): string {
  const { api, bus, ses, dynamodb } = platform.urls;
  const rejected = options.rejected
    ? `; rejected today: ${options.rejected.count}, GET ${api}/rejected-events?day=${options.rejected.day}`
    : "";
  const jobs = platform.jobs.names().map((name) => `${name} (${describeSchedule(scheduleOf(name))})`);
  const rows: Array<[string, string]> = [
    ...(platform.urls.console
      ? [
          ["Console", `${platform.urls.console}   (marketer console: sign in with any marketer name)`] as [
            string,
            string,
          ],
        ]
      : []),
    ["HTTP API", `${api}   (OpenAPI: ${api}/openapi.json, health: ${api}/health)`],
    ["Event bus", `${bus}   (EventBridge PutEvents endpoint; dead letters: ${bus}/dead-letters${rejected})`],
    ["E-mail inbox", `${ses}   (aws-ses-v2-local: every e-mail Patron sends)`],
    [
      "DynamoDB Local",
      `${dynamodb}   (table "${platform.tableName}", ${options.dataDir ? `data in ${options.dataDir}` : "in memory"}; any credentials and region see it)`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    "",
    "Patron is running locally.",
    "",
    ...rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`),
    "",
    "Fill it with four members' last four weeks (a Gold upgrade, a coffee card, a win-back e-mail at " +
      `${ses}):  npm run demo`,
    "",
    "Send an event (any EventBridge client works: endpoint above, any region; access key id pos or web acts as that producer, any other key as an operator):",
    `  aws events put-events --endpoint-url ${bus} --region us-east-1 --entries '${exampleEntries()}'`,
    '  Every event type with a sample: events/samples/v1/*.json (send its "detail" as Detail).',
    "",
    "Read it back as the member:",
    `  curl -H "Authorization: Bearer $(npm run -s token -- --member m-1)" ${api}/me`,
    "Sign up as a shopper (a Cognito user not linked yet; POST /me/link takes a link code instead):",
    `  curl -X POST -H "Authorization: Bearer $(npm run -s token -- --user shopper-1)" -H 'content-type: application/json' ${api}/me/enrolment -d '{"email":"shopper-1@example.test","locale":"en-GB","timeZone":"Europe/London","consent":{"email":true,"sms":false,"push":false}}'`,
    `  then  curl -X POST ${api}/_local/token -d '{"user":"shopper-1"}'  gives the token with its memberId`,
    "Rejected events (reason, field paths, envelope ids), as a marketer:",
    `  curl -H "Authorization: Bearer $(npm run -s token -- --marketer ada)" ${api}/rejected-events`,
    "The audit trail of member PII reads and adjustments, as a marketer in the auditor group:",
    `  curl -H "Authorization: Bearer $(npm run -s token -- --marketer ada --auditor)" ${api}/audit`,
    "Browse the table (the AWS CLI or NoSQL Workbench, any credentials and region):",
    `  aws dynamodb scan --endpoint-url ${dynamodb} --table-name ${platform.tableName} --region us-east-1 --max-items 5`,
    "",
    `Scheduled jobs (clock: ${platform.clock.mode}): ${jobs.length > 0 ? jobs.join(", ") : "none registered yet"}`,
    "  run one now:  npm run job -- <name> [--at <ISO date-time>]",
    "Replay a purchase log:  npm run replay -- --synthetic 500   (see README)",
    "",
    "Ctrl-C stops everything.",
    "",
  ].join("\n");
}
