import { randomBytes, randomUUID } from "node:crypto";
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { type PiiTerms, piiPattern, piiTermsOfProfile, pseudonymise } from "../../domain/member/pseudonymise";
import {
  erasureKey,
  IDENTITY_LOG_SK_PREFIX,
  identityLinkKey,
  LEDGER_PREFIX,
  MESSAGE_PREFIX,
  memberIdentityKey,
  memberPk,
  memberReferralKey,
  OFFER_PREFIX,
  PROFILE_SK,
  referralCodeKey,
  STATE_SK,
} from "../adapters/dynamo/keys";
import { erasedProfileItem } from "../adapters/dynamo/profile-repository";
import {
  type Counts,
  deleteAll,
  deleteItem,
  forEachPage,
  type Item,
  replaceAll,
  type TableDeps,
} from "./member-items";
import { eraseParkedEvents, scrubKeyRecords } from "./parked-pii";

// GDPR erasure of one member. The ERASURE record is written first (with the PII terms to hunt, while it runs),
// so a crash part-way is resumed by the next request with the same pseudonym; every step is idempotent. Order:
// rewrite the member's items (ledger, messages, offers), their business-key and adjustment records and the
// parked events that name them, delete the identity links, then the PROFILE (no address: no more e-mail), then
// complete the record (dropping the terms). STATE and every ledger amount stay: the points liability is intact.

export interface ErasureRecord {
  memberId: string;
  erasureId: string;
  /** What replaces the member's name and e-mail wherever they were written. */
  pseudonym: string;
  requestedAt: string;
  requestedBy: { sub: string; name: string };
  status: "erasing" | "erased";
  completedAt?: string;
  /** Items rewritten or deleted, by kind (the last run's, when a run was resumed). */
  counts?: Record<string, number>;
}

export interface ErasureOutcome {
  record: ErasureRecord;
  /** The member was erased before: nothing was done. */
  replayed: boolean;
}

/** Raised when there is no member to erase. */
export class NoSuchMemberError extends Error {}

type Stored = ErasureRecord & { terms?: PiiTerms };

async function readRecord(deps: TableDeps, memberId: string): Promise<Stored | undefined> {
  const { Item } = await deps.client.send(
    new GetItemCommand({ TableName: deps.tableName, Key: erasureKey(memberId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { PK: _pk, SK: _sk, ...record } = unmarshall(Item);
  return record as Stored;
}

async function startRecord(
  deps: TableDeps,
  request: { memberId: string; actor: { sub: string; name: string }; now: Date },
): Promise<Stored> {
  const existing = await readRecord(deps, request.memberId);
  if (existing) return existing;
  const get = (sk: string) =>
    deps.client.send(
      new GetItemCommand({
        TableName: deps.tableName,
        Key: { PK: { S: memberPk(request.memberId) }, SK: { S: sk } },
        ConsistentRead: true,
      }),
    );
  const [profile, state] = await Promise.all([get(PROFILE_SK), get(STATE_SK)]);
  if (!profile.Item && !state.Item) throw new NoSuchMemberError(`No member ${request.memberId}`);
  const record: Stored = {
    memberId: request.memberId,
    erasureId: randomUUID(),
    pseudonym: `erased-${randomBytes(8).toString("hex")}`,
    requestedAt: request.now.toISOString(),
    requestedBy: request.actor,
    status: "erasing",
    terms: piiTermsOfProfile(profile.Item ? unmarshall(profile.Item.profile?.M ?? {}) : undefined),
  };
  try {
    await deps.client.send(
      new PutItemCommand({
        TableName: deps.tableName,
        Item: { ...erasureKey(request.memberId), ...marshall(record, { removeUndefinedValues: true }) },
        ConditionExpression: "attribute_not_exists(PK)",
      }),
    );
    return record;
  } catch (error) {
    // A concurrent request started it: carry on with its pseudonym.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const winner = await readRecord(deps, request.memberId);
    if (!winner) throw error;
    return winner;
  }
}

/** The member's items that are rewritten (kept, pseudonymous), by sort-key prefix. */
const REWRITTEN = { ledger: LEDGER_PREFIX, messages: MESSAGE_PREFIX, offers: OFFER_PREFIX } as const;

async function rewriteMemberItems(
  deps: TableDeps,
  memberId: string,
  scrub: <T>(value: T) => { value: T; changed: boolean },
  counts: Counts,
): Promise<string[]> {
  const sourceKeys: string[] = [];
  for (const [kind, prefix] of Object.entries(REWRITTEN)) {
    await forEachPage(deps, { pk: memberPk(memberId), prefix }, async (items: Item[]) => {
      const changed: Record<string, unknown>[] = [];
      for (const item of items) {
        const plain = unmarshall(item);
        const sourceKey = plain.entry?.sourceKey;
        if (typeof sourceKey === "string") sourceKeys.push(sourceKey);
        const result = scrub(plain);
        if (result.changed) changed.push(result.value);
      }
      await replaceAll(deps, changed, { counts, kind });
    });
  }
  return sourceKeys;
}

/** The member's link (both directions) and link history; a revoked user's link to another member is kept. */
async function deleteIdentity(deps: TableDeps, memberId: string, counts: Counts) {
  const subs = new Set<string>();
  const keys: Item[] = [];
  await forEachPage(deps, { pk: memberPk(memberId), prefix: "IDENTITY" }, async (items) => {
    for (const item of items) {
      const sub = item.sub?.S;
      if (sub) subs.add(sub);
      const sk = item.SK?.S ?? "";
      if (sk === memberIdentityKey(memberId).SK.S || sk.startsWith(IDENTITY_LOG_SK_PREFIX)) {
        keys.push({ PK: { S: memberPk(memberId) }, SK: { S: sk } });
      }
    }
  });
  const own = { expression: "memberId = :member", values: { ":member": { S: memberId } } };
  await deleteAll(deps, [...subs].map(identityLinkKey), { counts, kind: "identityLinks", condition: own });
  await deleteAll(deps, keys, { counts, kind: "identityItems" });
}

/** The member's referral code, so it links no one any more; the mirror goes last, so a crash part-way resumes. */
async function deleteReferralCode(deps: TableDeps, memberId: string, counts: Counts) {
  const { Item } = await deps.client.send(
    new GetItemCommand({ TableName: deps.tableName, Key: memberReferralKey(memberId), ConsistentRead: true }),
  );
  const code = Item?.code?.S;
  if (code === undefined) return;
  const own = { expression: "memberId = :member", values: { ":member": { S: memberId } } };
  await deleteItem(deps, referralCodeKey(code), own);
  if (await deleteItem(deps, memberReferralKey(memberId))) counts.referralCode = 1;
}

/** Erases the member (see the top of this file); a member erased before gets their first record back. */
export async function eraseMember(
  deps: TableDeps,
  request: { memberId: string; actor: { sub: string; name: string }; now: Date },
): Promise<ErasureOutcome> {
  const started = await startRecord(deps, request);
  const { terms, ...record } = started;
  if (record.status === "erased") return { record, replayed: true };
  const { memberId } = request;
  const found = terms ?? { emails: [], names: [] };
  const pattern = piiPattern(found);
  const emailPattern = piiPattern({ emails: found.emails, names: [] });
  const scrub = <T>(value: T) =>
    pseudonymise(value, { pseudonym: record.pseudonym, ...(pattern && { pattern }) });
  const counts: Counts = {};
  const sourceKeys = await rewriteMemberItems(deps, memberId, scrub, counts);
  await scrubKeyRecords(deps, { memberId, sourceKeys, scrub, now: request.now, counts });
  await eraseParkedEvents(deps, { memberId, emailPattern, scrub, now: request.now, counts });
  await deleteIdentity(deps, memberId, counts);
  await deleteReferralCode(deps, memberId, counts);
  // The PROFILE becomes a marker, not nothing: a later Member Updated or enrolment finds it and stores no profile.
  const { Attributes: profile } = await deps.client.send(
    new PutItemCommand({
      TableName: deps.tableName,
      Item: erasedProfileItem(memberId, request.now.toISOString()),
      ReturnValues: "ALL_OLD",
    }),
  );
  if (profile?.profile !== undefined) counts.profile = 1;
  const completedAt = request.now.toISOString();
  await deps.client.send(
    new UpdateItemCommand({
      TableName: deps.tableName,
      Key: erasureKey(memberId),
      UpdateExpression: "SET #status = :erased, completedAt = :at, #counts = :counts REMOVE terms",
      ExpressionAttributeNames: { "#status": "status", "#counts": "counts" },
      ExpressionAttributeValues: {
        ":erased": { S: "erased" },
        ":at": { S: completedAt },
        ":counts": { M: marshall(counts) },
      },
    }),
  );
  return { record: { ...record, status: "erased", completedAt, counts }, replayed: false };
}

/** The member's erasure record, without the terms a running erasure holds. */
export async function erasureOf(deps: TableDeps, memberId: string): Promise<ErasureRecord | undefined> {
  const stored = await readRecord(deps, memberId);
  if (!stored) return undefined;
  const { terms: _terms, ...record } = stored;
  return record;
}
