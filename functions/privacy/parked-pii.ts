import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { addDays, utcDay } from "../../domain/time";
import { AUDIT_TTL_DAYS, type AuditPosition, createAuditStore } from "../adapters/dynamo/audit-store";
import {
  adjustmentRequestKey,
  BUSINESS_KEY_SK,
  businessKeyPk,
  PARKED_EVENTS_PK,
  PARKED_EVENTS_PREFIX,
  rejectedPk,
} from "../adapters/dynamo/keys";
import { adjustmentIdOf } from "../http/adjustment-requests";
import {
  bump,
  type Counts,
  deleteAll,
  forEachPage,
  type Item,
  inBatches,
  replaceAll,
  replaceExisting,
  type TableDeps,
} from "./member-items";

// What erasure finds about a member outside their partition:
// - business-key records of HTTP changes (`KEY#adjustment:<member>:<key>`, `KEY#redemption:…`): their stored first
//   answer can repeat an adjustment's reason; and the adjustment requests (`ADJUSTMENT#<id>`, applied, pending or
//   rejected, found through the audit trail), whose reason is free text a marketer typed. Both are pseudonymised
//   where they name the member.
// - parked rejected events (`REJECTED#<day>`): the raw envelope as delivered (e-mail, name, birthday of a bad
//   Member Enrolled), kept for an operator to fix and replay. A member's are deleted: nobody may replay them now.
// - parked outbox events (`OUTBOX / EVENTS#…`, 14 days): pseudonymised where they name the member.

/** Days of rejected-event partitions searched: their 14-day TTL, plus DynamoDB's up to 2 days of TTL lag. */
export const REJECTED_SEARCH_DAYS = 16;

type Scrub = <T>(value: T) => { value: T; changed: boolean };

async function scrubItem(deps: TableDeps, key: Item, scrub: Scrub): Promise<boolean> {
  const { Item } = await deps.client.send(
    new GetItemCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
  );
  if (!Item) return false;
  const result = scrub(unmarshall(Item));
  return result.changed && (await replaceExisting(deps, result.value));
}

/**
 * Ids of every adjustment requested for the member, applied or not, from the audit trail's per-member index
 * (requests are audited, and both expire after 400 days).
 */
async function auditedAdjustmentIds(deps: TableDeps, memberId: string, now: Date): Promise<string[]> {
  const store = createAuditStore(deps);
  const ids: string[] = [];
  let after: AuditPosition | undefined;
  do {
    const page = await store.list({
      from: new Date(now.getTime() - (AUDIT_TTL_DAYS + 2) * 86_400_000).toISOString(),
      to: now.toISOString(),
      memberId,
      limit: 100,
      ...(after && { after }),
    });
    for (const entry of page.entries) if (entry.adjustmentId) ids.push(entry.adjustmentId);
    after = page.next;
  } while (after);
  return ids;
}

/** The member's HTTP business-key records and adjustment requests, pseudonymised where they name them. */
export async function scrubKeyRecords(
  deps: TableDeps,
  options: {
    memberId: string;
    sourceKeys: readonly string[];
    scrub: Scrub;
    now: Date;
    counts: Counts;
  },
): Promise<void> {
  const { memberId, scrub, counts } = options;
  const adjustmentPrefix = `adjustment:${memberId}:`;
  const httpKeys = [...new Set(options.sourceKeys)].filter(
    (key) => key.startsWith(adjustmentPrefix) || key.startsWith(`redemption:${memberId}:`),
  );
  await inBatches(httpKeys, 10, async (sourceKey) => {
    const key = { PK: { S: businessKeyPk(sourceKey) }, SK: { S: BUSINESS_KEY_SK } };
    if (await scrubItem(deps, key, scrub)) bump(counts, "businessKeys");
  });
  const adjustmentIds = new Set(await auditedAdjustmentIds(deps, memberId, options.now));
  for (const sourceKey of httpKeys) {
    if (sourceKey.startsWith(adjustmentPrefix))
      adjustmentIds.add(adjustmentIdOf(memberId, sourceKey.slice(adjustmentPrefix.length)));
  }
  await inBatches([...adjustmentIds], 10, async (adjustmentId) => {
    if (await scrubItem(deps, adjustmentRequestKey(adjustmentId), scrub)) bump(counts, "adjustmentRequests");
  });
}

/**
 * Whether a stored text (an event's JSON) is about the member: names their id or their e-mail address (not
 * merely a name they share with others, whose events stay).
 */
function mentions(text: string, memberId: string, pattern: RegExp | undefined): boolean {
  if (text.includes(`"memberId":${JSON.stringify(memberId)}`)) return true;
  if (!pattern) return false;
  pattern.lastIndex = 0;
  return pattern.test(text);
}

/** Deletes the member's parked rejected events and pseudonymises their parked outbox events. */
export async function eraseParkedEvents(
  deps: TableDeps,
  options: {
    memberId: string;
    /** The member's e-mail addresses (piiPattern of the e-mails alone). */
    emailPattern: RegExp | undefined;
    scrub: Scrub;
    now: Date;
    counts: Counts;
  },
): Promise<void> {
  const { memberId, emailPattern: pattern, scrub, counts } = options;
  const today = utcDay(options.now);
  for (let back = 0; back <= REJECTED_SEARCH_DAYS; back++) {
    const pk = rejectedPk(addDays(today, -back));
    await forEachPage(deps, { pk }, async (items) => {
      const doomed = items
        .filter((item) => mentions(item.event?.S ?? "", memberId, pattern))
        .map((item) => ({ PK: { S: pk }, SK: { S: item.SK?.S ?? "" } }));
      await deleteAll(deps, doomed, { counts, kind: "rejectedEvents" });
    });
  }
  await forEachPage(deps, { pk: PARKED_EVENTS_PK, prefix: PARKED_EVENTS_PREFIX }, async (items) => {
    const changed = items
      .map((item) => unmarshall(item))
      .filter((item) => mentions(JSON.stringify(item.events ?? []), memberId, pattern))
      .map((item) => scrub(item))
      .filter((result) => result.changed)
      .map((result) => result.value);
    await replaceAll(deps, changed, { counts, kind: "parkedEvents" });
  });
}
