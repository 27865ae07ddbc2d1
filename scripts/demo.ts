import { parseArgs } from "node:util";
import { type DemoResult, type DemoUrls, runDemo } from "./demo/run-demo";
import { localServiceUrl } from "./local/ports";

// `npm run demo`: fills the platform `npm start` runs with a small, realistic history (scripts/demo/
// demo-story.ts) and prints where to look. Running it again changes nothing: every event repeats its business
// key, and the lapsing member has had her e-mail.

const SERVICES = ["api", "bus", "ses"] as const;

function fail(message: string, code = 2): never {
  console.error(`demo: ${message}`);
  process.exit(code);
}

function defaults(): Record<(typeof SERVICES)[number], { url: string; source: string }> {
  try {
    return { api: localServiceUrl("api"), bus: localServiceUrl("bus"), ses: localServiceUrl("ses") };
  } catch (error) {
    return fail((error as Error).message);
  }
}

const usage = (
  d: ReturnType<typeof defaults>,
) => `Usage: npm run demo [-- --api <url> --bus <url> --ses <url>]

Sends four members' last four weeks through the running platform's bus (enrolments, purchases, a Gold upgrade,
a coffee card in progress, a member who stopped coming), has the retention job check the lapsing member now
(the job's schedule is left alone), and prints where to look.

  --api <url>   HTTP API (here ${d.api.url}, ${d.api.source})
  --bus <url>   event bus (here ${d.bus.url}, ${d.bus.source})
  --ses <url>   e-mail inbox, SES local (here ${d.ses.url}, ${d.ses.source})`;

function whereToLook(result: DemoResult, urls: DemoUrls): string {
  const curl = (memberId: string, path: string) =>
    `curl -H "Authorization: Bearer $(npm run -s token -- --member ${memberId})" ${urls.api}${path}`;
  const { story } = result;
  const lapsing = story.members.find((m) => m.memberId === story.lapsingMemberId);
  const email = result.winBack
    ? `  E-mail inbox: ${urls.ses}   ("${result.winBack.subject}" to ${result.winBack.to})`
    : `  E-mail inbox: ${urls.ses}   (${lapsing?.givenName} was e-mailed by an earlier run; SES local keeps ` +
      "e-mails only while it runs)";
  return [
    "",
    "Where to look:",
    email,
    `  ${story.upgradedMemberId} reached ${result.upgraded.tierName}; what keeps it (toKeep.explanation):`,
    `    ${curl(story.upgradedMemberId, "/me")}`,
    `  ${story.punchCardMemberId}'s coffee card (${result.punchCard.summary}), streak and milestones:`,
    `    ${curl(story.punchCardMemberId, "/me/rewards")}`,
    `  Why every point changed, e.g. ${story.unknownCategoryMemberId}'s "no category rule for …":`,
    `    ${curl(story.unknownCategoryMemberId, "/me/ledger")}`,
    `  The 360° view of the lapsing member (lifecycle, messages):`,
    `    curl -H "Authorization: Bearer $(npm run -s token -- --marketer ada)" ${urls.api}/members/${story.lapsingMemberId}`,
    `  Campaign results: curl -H "Authorization: Bearer $(npm run -s token -- --marketer ada)" ${urls.api}/campaigns`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const d = defaults();
  let values: { api?: string; bus?: string; ses?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        api: { type: "string" },
        bus: { type: "string" },
        ses: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage(d)}`);
  }
  if (values.help) return console.log(usage(d));
  const urls: DemoUrls = {
    api: values.api ?? d.api.url,
    bus: values.bus ?? d.bus.url,
    ses: values.ses ?? d.ses.url,
  };
  try {
    const health = await fetch(`${urls.api}/health`);
    if (!health.ok) fail(`the platform at ${urls.api} is not healthy (GET /health: ${health.status})`, 1);
  } catch {
    fail(
      `cannot reach the platform at ${urls.api}. Is \`npm start\` running (with the same PATRON_* ports)?`,
      1,
    );
  }
  console.log(`demo: API ${urls.api}, bus ${urls.bus}, inbox ${urls.ses}`);
  try {
    const result = await runDemo({ urls, log: (line) => console.log(`demo: ${line}`) });
    const { processed, lapsing, sent } = result.retentionReport;
    console.log(
      `demo: the retention job checked ${result.story.lapsingMemberId} now ` +
        `(POST ${urls.api}/_local/jobs/retention-job?member=${result.story.lapsingMemberId}): ` +
        `${processed} checked, ${lapsing} stage changes, ${sent} e-mail(s) sent`,
    );
    console.log(whereToLook(result, urls));
  } catch (error) {
    fail((error as Error).message, 1);
  }
}

void main();
