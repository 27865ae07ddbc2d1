import { parseArgs } from "node:util";
import { memberIdSchema } from "../events/primitives";
import { type LocalRole, signLocalToken } from "./local/http-api/local-jwt";
import { localServiceUrl } from "./local/ports";

// Prints a JWT the local HTTP API accepts, with the claims Cognito puts in an access token.

const usage = (api: { url: string; source: string }) => `Usage:
  npm run token -- --member <member-id>      token for a linked member (group "members", memberId claim, sub = member id)
  npm run token -- --user <sub>              token for a signed-in shopper not linked yet (group "members", no memberId):
                                             POST /me/link or /me/enrolment with it; the platform's POST /_local/token
                                             {"user": "<sub>"} gives the linked token once the sub is linked
  npm run token -- --marketer <name>         token for a marketer (group "marketers")
  npm run token -- --marketer <name> --auditor   ... also in the "auditor" group (GET /audit)
  npm run token -- --producer <name>         token for a producer service (scope "patron/producer", e.g. a till)
  npm run token -- --partner <id>            token for a coalition partner's client (scope "patron/partner.<id>"):
                                             GET /partners/<id>/statement?month=YYYY-MM

Options:
  --expires-in <seconds>   lifetime (default 3600, like Cognito access tokens)
  --help                   show this help

Use it as:  curl -H "Authorization: Bearer $(npm run -s token -- --member m-1)" ${api.url}/me
(API: ${api.url}, ${api.source})`;

function fail(message: string, help = true): never {
  console.error(`token: ${message}${help ? `\n\n${usageText()}` : ""}`);
  process.exit(2);
}

function usageText(): string {
  try {
    return usage(localServiceUrl("api"));
  } catch (error) {
    // A malformed PATRON_API_PORT: say so, rather than print help with a wrong URL.
    return fail((error as Error).message, false);
  }
}

async function main(): Promise<void> {
  let values: {
    member?: string;
    user?: string;
    marketer?: string;
    auditor?: boolean;
    producer?: string;
    partner?: string;
    "expires-in"?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        member: { type: "string" },
        user: { type: "string" },
        marketer: { type: "string" },
        auditor: { type: "boolean" },
        producer: { type: "string" },
        partner: { type: "string" },
        "expires-in": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(usageText());
    return;
  }
  const roles = [values.member, values.user, values.marketer, values.producer, values.partner].filter(
    (v) => v !== undefined,
  );
  if (roles.length > 1) fail("give one of --member, --user, --marketer, --producer or --partner");
  const role: LocalRole | undefined =
    values.member !== undefined
      ? { member: values.member }
      : values.user !== undefined
        ? { user: values.user }
        : values.marketer !== undefined
          ? { marketer: values.marketer, ...(values.auditor && { groups: ["auditor"] }) }
          : values.producer !== undefined
            ? { producer: values.producer }
            : values.partner !== undefined
              ? { partner: values.partner }
              : undefined;
  if (!role)
    fail("missing --member <id>, --user <sub>, --marketer <name>, --producer <name> or --partner <id>");
  if (values.auditor && !("marketer" in role)) fail("--auditor goes with --marketer");
  if ("member" in role || "user" in role) {
    const [flag, id] = "member" in role ? ["--member", role.member] : ["--user", role.user];
    const parsed = memberIdSchema.safeParse(id);
    if (!parsed.success) fail(`${flag}: ${parsed.error.issues[0]?.message}`);
  } else if ("partner" in role) {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(role.partner))
      fail("--partner must be a partner id (lowercase slug)");
  } else {
    const [flag, name] = "marketer" in role ? ["--marketer", role.marketer] : ["--producer", role.producer];
    if (!/^[\w.@-]{1,128}$/.test(name)) fail(`${flag} must be 1-128 letters, digits, '.', '_', '-' or '@'`);
  }
  const expiresIn = values["expires-in"] === undefined ? 3600 : Number(values["expires-in"]);
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 86_400) {
    fail("--expires-in must be a whole number of seconds from 1 to 86400");
  }
  console.log(await signLocalToken(role, { expiresInSeconds: expiresIn }));
}

await main();
