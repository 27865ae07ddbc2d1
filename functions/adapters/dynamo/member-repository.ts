import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { DEFAULT_DUE_SHARDS } from "../../../domain/retention/due-buckets";
import { batchGetItems } from "./batch-get";
import {
  type AppliedKey,
  businessKey,
  businessKeyPut,
  isSameApplication,
  toAppliedKey,
} from "./business-keys";
import { createDueIndexReader } from "./due-index-reader";
import { appliedFingerprint, dueIndexKeys, ledgerSortKey, memberIdOfPk, memberPk, STATE_SK } from "./keys";
import { createLedgerReader } from "./ledger-reader";
import { createOfferRepository } from "./offer-repository";
import { createPartnerCounters } from "./partner-counters";
import { createProfileRepository } from "./profile-repository";
import { createReferralCodeRepository } from "./referral-codes";
import { decodeState, STATE_ATTRIBUTE, stateAttribute } from "./state-codec";
import { classifyCancellation } from "./transaction-outcome";

export type { LedgerPage, LedgerRecord, OrderEntries } from "./ledger-reader";

// Persistence of members in the single table. Member state and ledger entries are opaque JSON
// here: the domain owns their shape; this module owns the writes, their conditions and exactly-once effect.
// The state is stored compressed in one binary attribute (state-codec.ts), always replaced whole. The
// repository also carries the reads of the member's other items: ledger (ledger-reader.ts), due index
// (due-index-reader.ts) and profile (profile-repository.ts).

type Json = Record<string, unknown>;

/** What a ledger entry must expose for keying; everything else is stored as is. */
export interface LedgerEntryKeys {
  entryId: string;
  occurredAt: string;
}

export interface OutboundEvent {
  type: string;
  detail: unknown;
}

export interface MemberSnapshot<S extends Json = Json> {
  state: S;
  /** Optimistic-lock version: 1 after the first commit, +1 per commit. */
  version: number;
  /** Fingerprints of the most recently applied source keys, newest first. */
  recentKeys: readonly string[];
}

export interface CommitInput<S extends Json, E extends LedgerEntryKeys> {
  memberId: string;
  /** The snapshot the change was computed from; undefined for a member not yet stored. */
  previous: MemberSnapshot<S> | undefined;
  nextState: S;
  /** At least one entry: the ledger entry keyed on the business fact is the idempotency record. */
  entries: readonly E[];
  /** Business key of the source event (e.g. "purchase:retail.pos.s1:A123"); applied once, for ever. */
  sourceKey: string;
  /**
   * The member the event named, when it was forwarded to the member it was merged into: the key is recorded
   * for (and compared with) the named member, so a redelivery after the merge is still a duplicate.
   */
  keyMemberId?: string;
  /** Fingerprint of the payload the key promises (keys.ts `payloadFingerprint`). */
  payload: string;
  /** Stored with the business-key record, for APIs that replay the first answer. */
  answer?: Json;
  /** Published by the stream consumer once this commit is durable; stored on the first entry. */
  outbound?: readonly OutboundEvent[];
  /**
   * Writes to the member's other items that belong to the same change (offer codes redeemed or given back,
   * their campaign counters). A failed condition on one is a conflict: the change is decided again.
   */
  extraActions?: readonly TransactWriteItem[];
}

export type CommitResult =
  | { outcome: "committed"; version: number }
  /** Applied before with the same payload; `applied` when the record was read (not on a ring hit). */
  | { outcome: "duplicate"; applied?: AppliedKey }
  | { outcome: "conflict" }
  /** The key was applied for another member or with another payload. */
  | { outcome: "key-conflict"; applied: AppliedKey };

export interface MemberRepositoryOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Size of the recent-source-keys ring on the STATE item. */
  recentKeyLimit?: number;
  /** Shards per due day of the due index; must match the program's `retention.dueBuckets.shards`. */
  dueShards?: number;
  clock?: () => Date;
}

const DEFAULT_RECENT_KEYS = 16;
const MAX_TRANSACTION_ITEMS = 100;
const MAX_BATCH_GET = 100;
const STATE_INDEX = 0;
const KEY_INDEX = 1;

const fromFingerprint = (fingerprint: string): AttributeValue => ({
  B: Buffer.from(fingerprint, "base64url"),
});
const toFingerprint = (value: AttributeValue): string =>
  Buffer.from(value.B ?? new Uint8Array()).toString("base64url");

export function createMemberRepository(options: MemberRepositoryOptions) {
  const { client, tableName } = options;
  const recentKeyLimit = options.recentKeyLimit ?? DEFAULT_RECENT_KEYS;
  const clock = options.clock ?? (() => new Date());
  const dueShards = options.dueShards ?? DEFAULT_DUE_SHARDS;
  const profiles = createProfileRepository({ client, tableName, clock });

  function stateItem<S extends Json>(
    input: Pick<CommitInput<S, LedgerEntryKeys>, "memberId" | "nextState">,
    version: number,
    recent: readonly string[],
  ) {
    const item: Record<string, AttributeValue> = {
      PK: { S: memberPk(input.memberId) },
      SK: { S: STATE_SK },
      [STATE_ATTRIBUTE]: stateAttribute(input.nextState),
      version: { N: String(version) },
      recentKeys: { L: recent.map(fromFingerprint) },
      updatedAt: { S: clock().toISOString() },
    };
    // The due index entry follows the state's due day; an unchanged day is no index write. A merged member's
    // forwarding record is never due.
    const dueOn = (input.nextState.retention as { dueOn?: unknown } | undefined)?.dueOn;
    if (typeof dueOn === "string" && input.nextState.status !== "merged") {
      const keys = dueIndexKeys(input.memberId, dueOn, dueShards);
      item.GSI1PK = { S: keys.GSI1PK };
      item.GSI1SK = { S: keys.GSI1SK };
    }
    return item;
  }

  /** The STATE Put that replaces `previous` under its version condition (recent keys kept). */
  function versionedStatePut<S extends Json>(memberId: string, previous: MemberSnapshot<S>, nextState: S) {
    return {
      TableName: tableName,
      Item: stateItem({ memberId, nextState }, previous.version + 1, previous.recentKeys),
      ConditionExpression: "version = :expected",
      ExpressionAttributeValues: { ":expected": { N: String(previous.version) } },
    };
  }

  const toSnapshot = <S extends Json>(item: Record<string, AttributeValue>): MemberSnapshot<S> => ({
    state: decodeState<S>(item[STATE_ATTRIBUTE]),
    version: Number(item.version?.N),
    recentKeys: (item.recentKeys?.L ?? []).map(toFingerprint),
  });

  function ledgerPut(
    memberId: string,
    entry: LedgerEntryKeys,
    outbound: readonly OutboundEvent[],
  ): TransactWriteItem {
    const item: Record<string, AttributeValue> = {
      PK: { S: memberPk(memberId) },
      SK: { S: ledgerSortKey(entry) },
      entry: { M: marshall(entry, { removeUndefinedValues: true }) },
    };
    if (outbound.length > 0)
      item.outbound = {
        L: outbound.map((event) => ({ M: marshall(event, { removeUndefinedValues: true }) })),
      };
    // Append-only: an existing key means this business fact was already applied.
    return { Put: { TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(PK)" } };
  }

  async function getAppliedKey(sourceKey: string): Promise<AppliedKey | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: businessKey(sourceKey), ConsistentRead: true }),
    );
    return Item ? toAppliedKey(Item) : undefined;
  }

  /** A key that exists: the same member and payload is a duplicate, anything else a conflict. */
  async function compareApplied(
    input: { memberId: string; sourceKey: string; payload: string },
    existing: Record<string, AttributeValue> | undefined,
  ): Promise<Extract<CommitResult, { outcome: "duplicate" | "key-conflict" }>> {
    const applied = existing ? toAppliedKey(existing) : await getAppliedKey(input.sourceKey);
    if (!applied) throw new Error(`business key ${input.sourceKey} was reported applied but is not stored`);
    return isSameApplication(applied, input.memberId, input.payload)
      ? { outcome: "duplicate", applied }
      : { outcome: "key-conflict", applied };
  }

  return {
    /** One strongly consistent GetItem, whatever the length of the member's history. */
    async getMember<S extends Json = Json>(memberId: string): Promise<MemberSnapshot<S> | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { PK: { S: memberPk(memberId) }, SK: { S: STATE_SK } },
          ConsistentRead: true,
        }),
      );
      return Item ? toSnapshot<S>(Item) : undefined;
    },

    /**
     * Several members' STATE items with BatchGetItem, eventually consistent (½ RU each up to 4 KB): for
     * selecting work; a change computed from them must still be committed under the version condition.
     */
    async getMembers<S extends Json = Json>(
      memberIds: readonly string[],
    ): Promise<Map<string, MemberSnapshot<S>>> {
      const found = new Map<string, MemberSnapshot<S>>();
      for (let i = 0; i < memberIds.length; i += MAX_BATCH_GET) {
        let keys: Record<string, AttributeValue>[] | undefined = memberIds
          .slice(i, i + MAX_BATCH_GET)
          .map((id) => ({ PK: { S: memberPk(id) }, SK: { S: STATE_SK } }));
        // Unprocessed keys (throttling) are asked again; the SDK's retry strategy paces the requests.
        while (keys && keys.length > 0) {
          const result: BatchGetItemCommandOutput = await client.send(
            new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            found.set(memberIdOfPk(item.PK?.S) ?? "", toSnapshot<S>(item));
          }
          keys = result.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return found;
    },

    /**
     * The version-checked Put of a member's STATE item as a transaction action, for writers that change
     * state together with items of their own (the retention job's message claims) and no ledger entry.
     */
    statePutAction<S extends Json>(
      memberId: string,
      previous: MemberSnapshot<S>,
      nextState: S,
    ): TransactWriteItem {
      return { Put: versionedStatePut(memberId, previous, nextState) };
    },

    /**
     * Replaces a member's STATE alone under the version condition, for a change that moves no points and so
     * has no ledger entry (e.g. the birthday the retention triggers use). "conflict": another writer was first.
     */
    async putState<S extends Json>(
      memberId: string,
      previous: MemberSnapshot<S>,
      nextState: S,
    ): Promise<{ outcome: "committed" | "conflict" }> {
      try {
        await client.send(new PutItemCommand(versionedStatePut(memberId, previous, nextState)));
        return { outcome: "committed" };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { outcome: "conflict" };
        throw error;
      }
    },

    /**
     * Writes the new state and the ledger entries in ONE TransactWriteItems: STATE is replaced under
     * a version condition, each entry is put under attribute_not_exists. Nothing is written unless
     * the outcome is "committed".
     */
    async commit<S extends Json, E extends LedgerEntryKeys>(input: CommitInput<S, E>): Promise<CommitResult> {
      if (input.entries.length === 0) throw new Error("entries must hold at least one ledger entry");
      // The transaction also holds STATE and the business-key record.
      const extra = input.extraActions ?? [];
      if (input.entries.length + extra.length > MAX_TRANSACTION_ITEMS - 2) {
        throw new Error(`entries and extra actions must be at most ${MAX_TRANSACTION_ITEMS - 2} items`);
      }
      if (input.sourceKey.length === 0) throw new Error("sourceKey must not be empty");
      const fingerprint = appliedFingerprint(input.sourceKey, input.payload);
      const previousKeys = input.previous?.recentKeys ?? [];
      // A cheap early exit, not the guarantee (that is the business-key record): a recent redelivery,
      // even with a changed occurredAt, costs no write. The version condition keeps `previous` current.
      if (previousKeys.includes(fingerprint)) return { outcome: "duplicate" };

      const version = (input.previous?.version ?? 0) + 1;
      const recent = [fingerprint, ...previousKeys].slice(0, recentKeyLimit);
      const statePut: TransactWriteItem = {
        Put: {
          TableName: tableName,
          Item: stateItem(input, version, recent),
          ...(input.previous
            ? {
                ConditionExpression: "version = :expected",
                ExpressionAttributeValues: { ":expected": { N: String(input.previous.version) } },
              }
            : { ConditionExpression: "attribute_not_exists(PK)" }),
        },
      };
      const entryPuts = input.entries.map((entry, index) =>
        ledgerPut(input.memberId, entry, index === 0 ? (input.outbound ?? []) : []),
      );
      const first = input.entries[0] as LedgerEntryKeys;
      const keyOwner = input.keyMemberId ?? input.memberId;
      const keyPut = businessKeyPut(tableName, input.sourceKey, {
        memberId: keyOwner,
        payload: input.payload,
        appliedAt: clock().toISOString(),
        ledgerSk: ledgerSortKey(first),
        ...(input.answer && { answer: input.answer }),
      });
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [statePut, { Put: keyPut }, ...entryPuts, ...extra],
          }),
        );
        return { outcome: "committed", version };
      } catch (error) {
        const cancelled = classifyCancellation(error, {
          stateIndex: STATE_INDEX,
          keyIndex: KEY_INDEX,
          extraFrom: KEY_INDEX + 1 + entryPuts.length,
        });
        if (cancelled === undefined) throw error;
        if (cancelled.kind !== "key-exists") return { outcome: cancelled.kind };
        return compareApplied({ ...input, memberId: keyOwner }, cancelled.existing);
      }
    },

    /**
     * Records a business key whose event had no effect (e.g. a capped interaction), so a re-send with
     * another occurredAt cannot have one later. One conditional Put; nothing else is written.
     */
    async recordNoEffect(input: {
      memberId: string;
      sourceKey: string;
      payload: string;
    }): Promise<{ outcome: "unchanged" } | Exclude<CommitResult, { outcome: "committed" | "conflict" }>> {
      try {
        await client.send(
          new PutItemCommand(
            businessKeyPut(tableName, input.sourceKey, {
              memberId: input.memberId,
              payload: input.payload,
              appliedAt: clock().toISOString(),
            }),
          ),
        );
        return { outcome: "unchanged" };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return compareApplied(input, error.Item);
      }
    },

    /** The record of an applied business key (strongly consistent), or undefined if never applied. */
    getAppliedKey,

    /**
     * The records of several business keys by key, eventually consistent (BatchGetItem): for selecting work,
     * like getMembers; the commit's condition on the record stays the guarantee. Keys never applied are absent.
     */
    async getAppliedKeys(sourceKeys: readonly string[]): Promise<Map<string, AppliedKey>> {
      const byPk = new Map(sourceKeys.map((key) => [businessKey(key).PK?.S, key]));
      const items = await batchGetItems(client, tableName, sourceKeys.map(businessKey));
      const found = new Map<string, AppliedKey>();
      for (const item of items) {
        const key = byPk.get(item.PK?.S);
        if (key !== undefined) found.set(key, toAppliedKey(item));
      }
      return found;
    },

    /** Append-only Puts of ledger entries as transaction actions (outbound events on the first one). */
    ledgerPutActions(
      memberId: string,
      entries: readonly LedgerEntryKeys[],
      outbound: readonly OutboundEvent[],
    ): TransactWriteItem[] {
      return entries.map((entry, index) => ledgerPut(memberId, entry, index === 0 ? outbound : []));
    },

    /**
     * Stores a member's first state without a ledger entry (enrolment moves no points): a Put
     * conditioned on the STATE item not existing, which also makes it idempotent.
     */
    async createMember<S extends Json>(memberId: string, state: S): Promise<"created" | "exists"> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: stateItem({ memberId, nextState: state }, 1, []),
            ConditionExpression: "attribute_not_exists(PK)",
          }),
        );
        return "created";
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return "exists";
        throw error;
      }
    },

    ...createLedgerReader({ client, tableName }),
    ...createDueIndexReader({ client, tableName, dueShards }),

    /** Shards per due day this repository files members under. */
    dueShards,

    /** The PROFILE item's operations (profile-repository.ts): PII apart from STATE, merged field by field. */
    ...profiles,

    /** The member's offer instances (offer-repository.ts). */
    ...createOfferRepository({ client, tableName, shards: dueShards }),

    /** Coalition partners' monthly statement counters (partner-counters.ts). */
    ...createPartnerCounters({ client, tableName, shards: dueShards }),
    /** Referral codes and their owners (referral-codes.ts). */
    ...createReferralCodeRepository({ client, tableName, clock }),
  };
}

export type MemberRepository = ReturnType<typeof createMemberRepository>;
