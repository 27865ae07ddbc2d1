import { createHash } from "node:crypto";
import { shardOf } from "../../../domain/retention/due-buckets";

// Key layout of the single table (see TABLE-DESIGN.md). Key builders live in one place so the
// repository, the stream consumer and scripts agree on them.

export const STATE_SK = "STATE";
export const PROFILE_SK = "PROFILE";
export const LEDGER_PREFIX = "LEDGER#";
/** The due index (GSI1): members by the day the retention job must next look at them. */
export const DUE_INDEX = "GSI1";
/** GSI1 again, overloaded: PROFILE items by their e-mail address (marketers' member search). */
export const EMAIL_INDEX = "GSI1";

const MEMBER_PREFIX = "MEMBER#";
export const memberPk = (memberId: string): string => `${MEMBER_PREFIX}${memberId}`;
/** The member id of a `MEMBER#<id>` partition key; undefined for any other partition. */
export const memberIdOfPk = (pk: string | undefined): string | undefined =>
  pk?.startsWith(MEMBER_PREFIX) ? pk.slice(MEMBER_PREFIX.length) : undefined;

/** Key of a member's PROFILE item (PII apart from STATE). */
export const profileKey = (memberId: string): { PK: { S: string }; SK: { S: string } } => ({
  PK: { S: memberPk(memberId) },
  SK: { S: PROFILE_SK },
});

/** A member's erasure record (`MEMBER#<id> / ERASURE`): who erased them and when, the pseudonym; no PII. */
export const erasureKey = (memberId: string): { PK: { S: string }; SK: { S: string } } => ({
  PK: { S: memberPk(memberId) },
  SK: { S: "ERASURE" },
});

/** Normalises a timestamp to UTC ISO-8601 with milliseconds, so sort keys order by time. */
export function utcIso(timestamp: string, field: string): string {
  const parsed = new Date(timestamp);
  if (Number.isNaN(parsed.getTime())) {
    throw new Error(`${field} must be an ISO-8601 timestamp, got "${timestamp}"`);
  }
  return parsed.toISOString();
}

/** Ledger sort key: time-ordered, unique per entry, deterministic from the business fact. */
export function ledgerSortKey(entry: { entryId: string; occurredAt: string }): string {
  if (entry.entryId.length === 0) throw new Error("entryId must not be empty");
  return `${LEDGER_PREFIX}${utcIso(entry.occurredAt, "occurredAt")}#${entry.entryId}`;
}

/** Guards keys that come from outside (cursors, stored references) so they can only address ledger items. */
export function assertLedgerSk(sk: string): void {
  if (!sk.startsWith(LEDGER_PREFIX))
    throw new Error(`ledger key must start with "${LEDGER_PREFIX}", got "${sk}"`);
}

/** Short fingerprint of a source business key for the STATE item's recent-keys ring (8 bytes). */
export function sourceKeyFingerprint(sourceKey: string): string {
  return createHash("sha256").update(sourceKey).digest().subarray(0, 8).toString("base64url");
}

/**
 * Ring fingerprint of a key applied with one payload: a re-send with the same key but another payload
 * misses the ring and reaches the business-key record, which tells a duplicate from a conflict.
 */
export const appliedFingerprint = (sourceKey: string, payload: string): string =>
  sourceKeyFingerprint(`${sourceKey}\n${payload}`);

/** The business-key record: one item per applied business key, across all members, kept for ever. */
export const BUSINESS_KEY_SK = "KEY";
export const businessKeyPk = (sourceKey: string): string => `KEY#${sourceKey}`;
/**
 * The business key of a challenge's completion by a member, put in the completing commit: the ledger cannot
 * refuse a second completion (its sort key carries the completing event's occurredAt) and the member's STATE
 * remembers only the newest completed ids, so this record is what makes completion once for ever.
 */
export const challengeCompletionKey = (challengeId: string, memberId: string): string =>
  `challenge:${challengeId}:${memberId}`;

/** JSON with object keys sorted at every level, so equal payloads serialise equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${fields.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Fingerprint (16 bytes of SHA-256, base64url) of what a business key promises: the same key must come
 * with the same payload. Callers leave out what a producer may re-stamp on a retry (occurredAt).
 */
export function payloadFingerprint(payload: unknown): string {
  return createHash("sha256").update(canonicalJson(payload)).digest().subarray(0, 16).toString("base64url");
}

/** Rejected (unprocessable) events parked for operators: one partition per UTC day they were received. */
export const REJECTED_PK_PREFIX = "REJECTED#";
export const rejectedPk = (day: string): string => `${REJECTED_PK_PREFIX}${day}`;
/** Sort key in time order; `id` is the envelope id, or a random one when the event had none. */
export const rejectedSk = (receivedAt: string, id: string): string => `${receivedAt}#${id}`;

/** GSI1 keys filing a member under the bucket of their due day (domain/retention/due-buckets.ts). */
export function dueIndexKeys(
  memberId: string,
  dueOn: string,
  shards: number,
): { GSI1PK: string; GSI1SK: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueOn)) throw new Error(`dueOn must be YYYY-MM-DD, got "${dueOn}"`);
  return { GSI1PK: dueBucketKey(dueOn, shardOf(memberId, shards)), GSI1SK: memberId };
}

/** GSI1 partition of one due-day bucket: `DUE#<YYYY-MM-DD>#<shard>` (domain/retention/due-buckets.ts). */
export const dueBucketKey = (day: string, shard: number): string => `DUE#${day}#${shard}`;

/** All bucket partitions of one day, to query one by one (or in parallel). */
export const dueBucketKeys = (day: string, shards: number): string[] =>
  Array.from({ length: shards }, (_, shard) => dueBucketKey(day, shard));

/** GSI1 partition of the profiles with this e-mail: the whole address lower-cased, so search ignores case. */
export const emailIndexPk = (email: string): string => `EMAIL#${email.toLowerCase()}`;

/** GSI1 keys filing a member's PROFILE item under its e-mail address (sparse: none without one). */
export function emailIndexKeys(memberId: string, email: string): { GSI1PK: string; GSI1SK: string } {
  if (email.length === 0) throw new Error("email must not be empty");
  return { GSI1PK: emailIndexPk(email), GSI1SK: memberId };
}

/** A member's retention message record: `MEMBER#<id> / MSG#<messageKey>`, the exactly-once record of a send. */
export const MESSAGE_PREFIX = "MSG#";
export const messageItemKey = (memberId: string, key: string): { PK: { S: string }; SK: { S: string } } => ({
  PK: { S: memberPk(memberId) },
  SK: { S: `${MESSAGE_PREFIX}${key}` },
});
/** GSI1 partition of the sends still owed, sorted by when each may next be attempted. */
export const MESSAGE_RETRY_PK = "RETRY";
export const messageRetrySk = (at: string, memberId: string, key: string): string =>
  `${at}#${memberId}#${key}`;
/** A member's offer instance: `MEMBER#<id> / OFFER#<code>`, looked up by the code the member presents. */
export const OFFER_PREFIX = "OFFER#";
export const offerItemKey = (memberId: string, code: string): { PK: { S: string }; SK: { S: string } } => ({
  PK: { S: memberPk(memberId) },
  SK: { S: `${OFFER_PREFIX}${code}` },
});
/** Per-trigger campaign counters, sharded: `CAMPAIGN / <trigger kind>#<shard>`. */
export const CAMPAIGN_PK = "CAMPAIGN";
export const campaignCounterSk = (kind: string, shard: number): string => `${kind}#${shard}`;
/**
 * A coalition partner's monthly statement counters, sharded by member like the campaign counters:
 * `PARTNER#<partner id> / <YYYY-MM>#<shard>`; a statement is one Query of the partition by month prefix.
 */
export const partnerCounterPk = (partnerId: string): string => `PARTNER#${partnerId}`;
export const partnerCounterSk = (month: string, shard: number): string => `${month}#${shard}`;
export const partnerMonthPrefix = (month: string): string => `${month}#`;
/** The retention job's progress: the last due day it finished. */
export const RETENTION_JOB_KEY = { PK: { S: "JOB#retention" }, SK: { S: STATE_SK } };

/** Events a job could not publish, parked for the outbox: `OUTBOX / EVENTS#<at>#<first event id>`. */
export const PARKED_EVENTS_PK = "OUTBOX";
export const PARKED_EVENTS_PREFIX = "EVENTS#";
export const parkedEventsSk = (at: string, firstEventId: string): string =>
  `${PARKED_EVENTS_PREFIX}${at}#${firstEventId}`;

/** Program versions: `PROGRAM / VERSION#<version, 10 digits>`, so they sort by number. */
export const PROGRAM_PK = "PROGRAM";
export const PROGRAM_VERSION_PREFIX = "VERSION#";
export const programVersionSk = (version: number): string =>
  `${PROGRAM_VERSION_PREFIX}${String(version).padStart(10, "0")}`;

/** The analytics job's results: the last run (`ANALYTICS / LATEST`) and one KPI snapshot per month. */
export const ANALYTICS_PK = "ANALYTICS";
export const ANALYTICS_LATEST_SK = "LATEST";
const KPI_SK_PREFIX = "KPI#";
export const kpiSk = (month: string): string => `${KPI_SK_PREFIX}${month}`;

/**
 * Identity links (functions/adapters/dynamo/identity-links.ts): a Cognito user's link
 * (`IDENTITY#<sub> / LINK`) and its mirror in the member's partition (`MEMBER#<id> / IDENTITY`), written and
 * deleted together; each one's existence condition makes the link one-to-one. Every link and revocation
 * also leaves a history item, `MEMBER#<id> / IDENTITY#LOG#<at>#<sub>`, and a revocation a marker
 * `IDENTITY#<sub> / REVOKED#<memberId>` that keeps the verified e-mail from linking the two again.
 */
type ItemKey = { PK: { S: string }; SK: { S: string } };
const IDENTITY_SK = "IDENTITY";
export const identityLinkKey = (sub: string): ItemKey => ({
  PK: { S: `IDENTITY#${sub}` },
  SK: { S: "LINK" },
});
export const identityRevokedKey = (sub: string, memberId: string): ItemKey => ({
  PK: { S: `IDENTITY#${sub}` },
  SK: { S: `REVOKED#${memberId}` },
});
export const memberIdentityKey = (memberId: string): ItemKey => ({
  PK: { S: memberPk(memberId) },
  SK: { S: IDENTITY_SK },
});
export const IDENTITY_LOG_SK_PREFIX = "IDENTITY#LOG#";
export const identityLogKey = (memberId: string, at: string, sub: string): ItemKey => ({
  PK: { S: memberPk(memberId) },
  SK: { S: `${IDENTITY_LOG_SK_PREFIX}${utcIso(at, "at")}#${sub}` },
});
/** A link code, found by the keyed hash of the code a member types (the code itself is never stored). */
export const linkCodeKey = (codeHash: string): ItemKey => ({
  PK: { S: `LINKCODE#${codeHash}` },
  SK: { S: "LINKCODE" },
});

/** A manual adjustment request (controls): `ADJUSTMENT#<adjustmentId> / REQUEST`, its status and approver. */
export const adjustmentRequestKey = (adjustmentId: string): { PK: { S: string }; SK: { S: string } } => ({
  PK: { S: `ADJUSTMENT#${adjustmentId}` },
  SK: { S: "REQUEST" },
});
/** GSI1 partition of the adjustment requests awaiting a second marketer, by request time. */
export const PENDING_ADJUSTMENTS_PK = "ADJUSTMENTS#PENDING";
export const pendingAdjustmentSk = (requestedAt: string, adjustmentId: string): string =>
  `${requestedAt}#${adjustmentId}`;
/** A marketer's adjusted points on one UTC day (the daily limit's counter): `MARKETER#<sub> / ADJUSTED#<day>`. */
export const dailyAdjustedKey = (sub: string, day: string): { PK: { S: string }; SK: { S: string } } => ({
  PK: { S: `MARKETER#${sub}` },
  SK: { S: `ADJUSTED#${day}` },
});

/**
 * A bulk grant (functions/grants): `GRANT#<id> / GRANT` holds the request and its status, `LIST#<4 digits>`
 * its uploaded member ids in chunks, `PART#<4 digits>` each part's progress (where its run stands, counts).
 */
const grantPk = (grantId: string): string => `GRANT#${grantId}`;
export const grantKey = (grantId: string): { PK: { S: string }; SK: { S: string } } => ({
  PK: { S: grantPk(grantId) },
  SK: { S: "GRANT" },
});
export const GRANT_LIST_PREFIX = "LIST#";
export const GRANT_PART_PREFIX = "PART#";
export const grantChildKey = (
  grantId: string,
  prefix: typeof GRANT_LIST_PREFIX | typeof GRANT_PART_PREFIX,
  index: number,
): { PK: { S: string }; SK: { S: string } } => ({
  PK: { S: grantPk(grantId) },
  SK: { S: `${prefix}${String(index).padStart(4, "0")}` },
});
export const grantPartitionKey = (grantId: string): { S: string } => ({ S: grantPk(grantId) });

/** The audit trail: one partition per UTC day, `AUDIT#<YYYY-MM-DD>`, sorted by time. */
export const auditPk = (day: string): string => `AUDIT#${day}`;
export const auditSk = (at: string, entryId: string): string => `${at}#${entryId}`;
/** GSI1 partition of one member's audit entries (GSI1SK is the entry's sort key, so time-ordered). */
export const auditMemberIndexPk = (memberId: string): string => `AUDIT_MEMBER#${memberId}`;

/** The item the health check reads. */
export const HEALTH_KEY = { PK: { S: "HEALTH" }, SK: { S: "HEALTH" } };

/**
 * Referral codes (referral-codes.ts): the code's owner (`REFERRAL#<code> / REFERRAL`) and its mirror in the
 * member's partition (`MEMBER#<id> / REFERRAL`), written together, each under attribute_not_exists.
 */
export const referralCodeKey = (code: string): ItemKey => ({
  PK: { S: `REFERRAL#${code}` },
  SK: { S: "REFERRAL" },
});
export const memberReferralKey = (memberId: string): ItemKey => ({
  PK: { S: memberPk(memberId) },
  SK: { S: "REFERRAL" },
});

/**
 * A deployed migration import (functions/migration/import-job.ts): `IMPORT#<id> / IMPORT` holds the job (status,
 * attempt, counts, first problems), `BATCH#<attempt>#<pass>#<first row index>` one batch's recorded result,
 * `DUP#<attempt>#<row>` a row whose member id an earlier row of the file holds. A member's claim on a row lives
 * in a partition of its own (`IMPORTCLAIM#<id>#<attempt>#<member>`), so claims spread over the table.
 */
const importPk = (importId: string): string => `IMPORT#${importId}`;
const pad = (n: number, digits: number): string => String(n).padStart(digits, "0");
export const importJobKey = (importId: string): ItemKey => ({
  PK: { S: importPk(importId) },
  SK: { S: "IMPORT" },
});
export const importPartitionKey = (importId: string): { S: string } => ({ S: importPk(importId) });
export const importBatchPrefix = (attempt: number, pass: string): string =>
  `BATCH#${pad(attempt, 3)}#${pass}#`;
export const importBatchKey = (importId: string, attempt: number, pass: string, first: number): ItemKey => ({
  PK: { S: importPk(importId) },
  SK: { S: `${importBatchPrefix(attempt, pass)}${pad(first, 9)}` },
});
export const importDuplicatePrefix = (attempt: number): string => `DUP#${pad(attempt, 3)}#`;
export const importDuplicateKey = (importId: string, attempt: number, row: number): ItemKey => ({
  PK: { S: importPk(importId) },
  SK: { S: `${importDuplicatePrefix(attempt)}${pad(row, 9)}` },
});
export const importClaimKey = (importId: string, attempt: number, memberId: string): ItemKey => ({
  PK: { S: `IMPORTCLAIM#${importId}#${pad(attempt, 3)}#${memberId}` },
  SK: { S: "CLAIM" },
});
