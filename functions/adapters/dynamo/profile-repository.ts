import { randomUUID } from "node:crypto";
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import {
  mergeDuplicateProfile,
  mergeProfileFacts,
  type ProfileChange,
  type ProfileMerge,
  type StoredProfile,
} from "../../../domain/member/profile-facts";
import { MemberErased } from "../../shared/errors";
import { conditionHeld } from "./conditional-write";
import { EMAIL_INDEX, emailIndexKeys, emailIndexPk, profileKey } from "./keys";
import { type OptimisticRetryOptions, withOptimisticRetry } from "./optimistic-retry";
import { queryItems } from "./query-items";

// The member's PROFILE item (PII: e-mail, consent, time zone, names), apart from STATE so reading or
// committing member state never touches it. Every writer goes through `mergeProfile`: read, merge the
// change's timestamped facts (domain/member/profile-facts.ts), Put under the write token that was read. A
// writer that lost the race reads again and merges again, so no concurrent writer loses another's change.
// The item carries its e-mail's GSI1 keys (keys.ts emailIndexKeys); every write is a whole-item Put, so a
// changed e-mail moves them with the profile and the old address stops finding the member.

/** Forwarding items (a merged member's PROFILE) followed at most this far. */
const MAX_FORWARDS = 4;

/** Most members one e-mail search answers (an address shared by more is a data problem, not a page). */
export const MAX_EMAIL_MATCHES = 100;

export interface ProfileRepositoryOptions {
  client: DynamoDBClient;
  tableName: string;
  clock?: () => Date;
}

type Attempt = { outcome: "merged"; merge: ProfileMerge } | { outcome: "conflict" };

/**
 * What a GDPR erasure leaves of the PROFILE (functions/privacy/member-erasure.ts): a marker without PII or e-mail
 * keys. A writer that finds it stores nothing (MemberErased), so a later event cannot bring the profile back.
 */
export function erasedProfileItem(memberId: string, erasedAt: string): Record<string, AttributeValue> {
  return { ...profileKey(memberId), erasedAt: { S: erasedAt }, updatedAt: { S: erasedAt } };
}

const isErased = (item: Record<string, AttributeValue> | undefined) => item?.erasedAt?.S !== undefined;

/** The e-mail index keys of a stored profile; none when it has no e-mail. */
function emailKeys(memberId: string, profile: StoredProfile): Record<string, AttributeValue> {
  const email = profile.email;
  if (typeof email !== "string" || email.length === 0) return {};
  const keys = emailIndexKeys(memberId, email);
  return { GSI1PK: { S: keys.GSI1PK }, GSI1SK: { S: keys.GSI1SK } };
}

export function createProfileRepository(options: ProfileRepositoryOptions) {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());

  /** The condition that the item is still the one read: same write token, or still absent. */
  function unchangedSince(read: Record<string, AttributeValue> | undefined) {
    const seen = read?.writeToken?.S;
    if (read === undefined) return { ConditionExpression: "attribute_not_exists(PK)" };
    // Items seeded without a token (older profiles): the first writer adds one.
    if (seen === undefined) return { ConditionExpression: "attribute_not_exists(writeToken)" };
    return { ConditionExpression: "writeToken = :seen", ExpressionAttributeValues: { ":seen": { S: seen } } };
  }

  /** The PROFILE item of `memberId`, or of the member it was merged into (its item forwards there). */
  async function readProfileItem(memberId: string, consistent: boolean) {
    let current = memberId;
    for (let hop = 0; ; hop += 1) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: profileKey(current), ConsistentRead: consistent }),
      );
      const next = Item?.mergedInto?.S;
      if (next === undefined || hop >= MAX_FORWARDS) return { memberId: current, Item };
      current = next;
    }
  }

  /** One read-merge-Put; `unread`: assume no item without reading (the Put's condition checks it). */
  async function attempt(requested: string, change: ProfileChange, unread = false): Promise<Attempt> {
    const { memberId, Item } = unread
      ? { memberId: requested, Item: undefined }
      : await readProfileItem(requested, true);
    if (isErased(Item)) throw new MemberErased(memberId);
    const key = profileKey(memberId);
    const stored = Item ? (unmarshall(Item.profile?.M ?? {}) as StoredProfile) : undefined;
    const merge = mergeProfileFacts(stored, change);
    // Nothing newer: no write at all (a redelivered or stale change costs one read). Unread, nothing to write
    // proves nothing about the stored item: read it.
    if (merge.applied.length === 0) return unread ? { outcome: "conflict" } : { outcome: "merged", merge };
    const put = new PutItemCommand({
      TableName: tableName,
      Item: {
        ...key,
        ...emailKeys(memberId, merge.profile),
        profile: { M: marshall(merge.profile, { removeUndefinedValues: true }) },
        updatedAt: { S: clock().toISOString() },
        writeToken: { S: randomUUID() },
      },
      ...unchangedSince(Item),
    });
    return (await conditionHeld(client.send(put))) ? { outcome: "merged", merge } : { outcome: "conflict" };
  }

  return {
    /**
     * Merges a change into the member's profile: each field (each consent channel, each name part) takes
     * the change's value only where the change is newer than the field's last one. Returns the profile as
     * stored afterwards and the field paths that changed (none for a replayed or stale change). A write
     * that lost a race is retried on a fresh read (`retry`, with jittered backoff).
     */
    async mergeProfile(
      memberId: string,
      change: ProfileChange,
      retry?: OptimisticRetryOptions,
    ): Promise<ProfileMerge> {
      const { merge } = await withOptimisticRetry(() => attempt(memberId, change), retry);
      return merge;
    },

    /**
     * mergeProfile for a member whose state was created just now, so whose PROFILE most likely does not exist
     * yet: first a Put on the condition that no item exists, without the read. Where one does (a Member Updated
     * that came first, an erasure marker, a merged member's forwarding item) the Put fails and the change is
     * merged as mergeProfile does.
     */
    async createOrMergeProfile(
      memberId: string,
      change: ProfileChange,
      retry?: OptimisticRetryOptions,
    ): Promise<ProfileMerge> {
      const first = await attempt(memberId, change, true);
      if (first.outcome === "merged") return first.merge;
      const { merge } = await withOptimisticRetry(() => attempt(memberId, change), retry);
      return merge;
    },

    /**
     * Ids of the members whose current e-mail is `email`, case-insensitively (at most MAX_EMAIL_MATCHES, in
     * member id order): a Query of the e-mail's GSI1 partition, eventually consistent like every GSI read.
     */
    async findMembersByEmail(email: string): Promise<string[]> {
      const ids: string[] = [];
      const items = queryItems(
        client,
        {
          TableName: tableName,
          IndexName: EMAIL_INDEX,
          KeyConditionExpression: "GSI1PK = :email",
          ExpressionAttributeValues: { ":email": { S: emailIndexPk(email) } },
        },
        { pageLimit: () => MAX_EMAIL_MATCHES - ids.length },
      );
      for await (const item of items) {
        if (item.GSI1SK?.S) ids.push(item.GSI1SK.S);
        if (ids.length >= MAX_EMAIL_MATCHES) break;
      }
      return ids;
    },

    /**
     * The first PROFILE of a member Patron does not hold yet, as a transaction action (the migration import
     * writes it with the member's state): the changes merged in order, Put on the condition that no profile
     * exists, so an existing member's profile is never replaced.
     */
    newProfilePut(memberId: string, changes: readonly ProfileChange[]): TransactWriteItem {
      const profile = changes.reduce<StoredProfile | undefined>(
        (stored, change) => mergeProfileFacts(stored, change).profile,
        undefined,
      );
      return {
        Put: {
          TableName: tableName,
          Item: {
            ...profileKey(memberId),
            ...emailKeys(memberId, profile ?? {}),
            profile: { M: marshall(profile ?? {}, { removeUndefinedValues: true }) },
            updatedAt: { S: clock().toISOString() },
            writeToken: { S: randomUUID() },
          },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      };
    },

    /**
     * The writes that merge a duplicate's profile into the survivor's (profile-facts.ts mergeDuplicateProfile), for
     * the merge's transaction: the survivor's Put and the duplicate's forwarding item (its e-mail stops finding
     * anyone), each on the condition that the item is still the one read, so a racing profile write makes it retry.
     */
    async duplicateMergeActions(survivorId: string, absorbedId: string): Promise<TransactWriteItem[]> {
      const keys = [profileKey(survivorId), profileKey(absorbedId)];
      const { Responses } = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      const items = Responses?.[tableName] ?? [];
      const read = (key: (typeof keys)[number]) => items.find((item) => item.PK?.S === key.PK.S);
      const [mine, theirs] = [read(keys[0] as (typeof keys)[number]), read(keys[1] as (typeof keys)[number])];
      const profileOf = (item: typeof mine) =>
        item ? (unmarshall(item.profile?.M ?? {}) as StoredProfile) : undefined;
      if (mine?.mergedInto || theirs?.mergedInto)
        throw new Error("a merged member's profile cannot be merged again");
      if (isErased(mine)) throw new MemberErased(survivorId);
      if (isErased(theirs)) throw new MemberErased(absorbedId);
      const profile = mergeDuplicateProfile(profileOf(mine), profileOf(theirs));
      const put: TransactWriteItem = {
        Put: {
          TableName: tableName,
          Item: {
            ...profileKey(survivorId),
            ...emailKeys(survivorId, profile),
            profile: { M: marshall(profile, { removeUndefinedValues: true }) },
            updatedAt: { S: clock().toISOString() },
            writeToken: { S: randomUUID() },
          },
          ...unchangedSince(mine),
        },
      };
      // The duplicate's PROFILE becomes a forwarding item without PII or e-mail keys: a profile write that read it
      // before the merge fails its condition and, reading again, is forwarded to the survivor's profile.
      const forward: TransactWriteItem = {
        Put: {
          TableName: tableName,
          Item: {
            ...profileKey(absorbedId),
            mergedInto: { S: survivorId },
            updatedAt: { S: clock().toISOString() },
            writeToken: { S: randomUUID() },
          },
          ...unchangedSince(theirs),
        },
      };
      return [put, forward];
    },

    /** Eventually consistent (½ RU): for reading; writers merge on a consistent read of their own. */
    async getProfile<P extends StoredProfile = StoredProfile>(memberId: string): Promise<P | undefined> {
      const { Item } = await readProfileItem(memberId, false);
      return Item && !isErased(Item) ? (unmarshall(Item.profile?.M ?? {}) as P) : undefined;
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
