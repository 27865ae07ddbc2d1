// `npm run send -- <event> [--member <id>] [--fresh] [--bus <url>]`: puts one inbound sample event
// (events/samples/v1/<event>.json) on the local bus with the real EventBridge SDK client, stamped with the
// current time. Without --fresh, sending twice repeats the same business key — Patron applies it once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { inboundEvents, sampleFilePath } from "../events/catalog";
import { localServiceUrl } from "./local/ports";

const root = join(import.meta.dirname, "..");
const samples = Object.values(inboundEvents).map((definition) => ({
  name:
    sampleFilePath(definition)
      .split("/")
      .pop()
      ?.replace(/\.json$/, "") ?? "",
  definition,
}));
function busUrl(): { url: string; source: string } {
  try {
    return localServiceUrl("bus");
  } catch (error) {
    // A malformed PATRON_BUS_PORT names itself; no usage text with a wrong URL.
    console.error((error as Error).message);
    return process.exit(2);
  }
}
const defaultBus = busUrl();
const usage = `usage: npm run send -- <${samples.map((s) => s.name).join("|")}> [--member <id>] [--fresh] [--bus <url>]
  --bus <url>   the event bus of \`npm start\` (here ${defaultBus.url}, ${defaultBus.source})`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    member: { type: "string" },
    fresh: { type: "boolean" },
    bus: { type: "string" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const sample = samples.find((s) => s.name === positionals[0]);
if (!sample) fail(positionals[0] ? `unknown event "${positionals[0]}"` : "which event?");

const envelope = JSON.parse(readFileSync(join(root, sampleFilePath(sample.definition)), "utf8"));
const detail = envelope.detail as Record<string, unknown>;
detail.occurredAt = new Date().toISOString();
if (values.member) detail.memberId = values.member;
if (values.fresh) {
  // A new business fact: a new order / refund / interaction id (a retry would keep the old one).
  const suffix = Date.now().toString(36);
  for (const key of ["orderId", "refundId", "interactionId"]) {
    if (typeof detail[key] === "string") detail[key] = `${detail[key]}-${suffix}`;
  }
}

const endpoint = values.bus ?? defaultBus.url;
const client = new EventBridgeClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});
try {
  const response = await client.send(
    new PutEventsCommand({
      Entries: [
        { Source: envelope.source, DetailType: envelope["detail-type"], Detail: JSON.stringify(detail) },
      ],
    }),
  );
  const entry = response.Entries?.[0];
  if (response.FailedEntryCount) fail(`rejected by the bus: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
  console.log(
    `sent ${envelope["detail-type"]} for member ${String(detail.memberId)} (event id ${entry?.EventId}) to ${endpoint}`,
  );
} catch (error) {
  fail(
    `could not reach the event bus at ${endpoint} — is \`npm start\` running? (${(error as Error).message})`,
  );
}
