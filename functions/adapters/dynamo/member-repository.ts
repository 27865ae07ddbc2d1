import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import {
  assertLedgerSk,
  LAST_ACTIVE_INDEX,
  LAST_ACTIVE_SHARDS,
  LEDGER_PREFIX,
  lastActiveKeys,
  lastActivePk,
  ledgerSortKey,
  memberPk,
  PROFILE_SK,
  STATE_SK,
  sourceKeyFingerprint,
} from "./keys";
import { classifyCancellation } from "./transaction-outcome";

// Persistence of members in the single table. Member state and ledger entries are opaque JSON
// here: the domain owns their shape; this module owns keys, conditions and exactly-once effect.

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
  lastActivityAt?: string;
}

export interface CommitInput<S extends Json, E extends LedgerEntryKeys> {
  memberId: string;
  /** The snapshot the change was computed from; undefined for a member not yet stored. */
  previous: MemberSnapshot<S> | undefined;
  nextState: S;
  /** At least one entry: the ledger entry keyed on the business fact is the idempotency record. */
  entries: readonly E[];
  /** Business key of the source event (e.g. "retail.pos.s1#A123"). */
  sourceKey: string;
  /** Published by the stream consumer once this commit is durable; stored on the first entry. */
  outbound?: readonly OutboundEvent[];
  /** Moves the member to this day's bucket of the last-activity index; kept from `previous` if omitted. */
  lastActivityAt?: string;
}

export type CommitResult =
  | { outcome: "committed"; version: number }
  | { outcome: "duplicate" }
  | { outcome: "conflict" };

export interface LedgerRecord<E> {
  sk: string;
  entry: E;
}

export interface LedgerPage<E> {
  records: LedgerRecord<E>[];
  /** Pass back to get the next (older) page; absent on the last page. Sign it before exposing it. */
  cursor?: string;
}

export interface MemberRepositoryOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Size of the recent-source-keys ring on the STATE item. */
  recentKeyLimit?: number;
  clock?: () => Date;
}

const DEFAULT_RECENT_KEYS = 16;
const MAX_PAGE = 100;
const MAX_TRANSACTION_ITEMS = 100;
const STATE_INDEX = 0;

const fromFingerprint = (fingerprint: string): AttributeValue => ({
  B: Buffer.from(fingerprint, "base64url"),
});
const toFingerprint = (value: AttributeValue): string =>
  Buffer.from(value.B ?? new Uint8Array()).toString("base64url");

export function createMemberRepository(options: MemberRepositoryOptions) {
  const { client, tableName } = options;
  const recentKeyLimit = options.recentKeyLimit ?? DEFAULT_RECENT_KEYS;
  const clock = options.clock ?? (() => new Date());

  function stateItem<S extends Json>(
    input: CommitInput<S, LedgerEntryKeys>,
    version: number,
    recent: string[],
  ) {
    const lastActivityAt = input.lastActivityAt ?? input.previous?.lastActivityAt;
    const item: Record<string, AttributeValue> = {
      PK: { S: memberPk(input.memberId) },
      SK: { S: STATE_SK },
      state: { M: marshall(input.nextState, { removeUndefinedValues: true }) },
      version: { N: String(version) },
      recentKeys: { L: recent.map(fromFingerprint) },
      updatedAt: { S: clock().toISOString() },
    };
    if (lastActivityAt !== undefined) {
      const keys = lastActiveKeys(input.memberId, lastActivityAt);
      item.lastActivityAt = { S: lastActivityAt };
      item.GSI1PK = { S: keys.GSI1PK };
      item.GSI1SK = { S: keys.GSI1SK };
    }
    return item;
  }

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
      if (!Item) return undefined;
      return {
        state: unmarshall(Item.state?.M ?? {}) as S,
        version: Number(Item.version?.N),
        recentKeys: (Item.recentKeys?.L ?? []).map(toFingerprint),
        ...(Item.lastActivityAt?.S ? { lastActivityAt: Item.lastActivityAt.S } : {}),
      };
    },

    /**
     * Writes the new state and the ledger entries in ONE TransactWriteItems: STATE is replaced under
     * a version condition, each entry is put under attribute_not_exists. Nothing is written unless
     * the outcome is "committed".
     */
    async commit<S extends Json, E extends LedgerEntryKeys>(input: CommitInput<S, E>): Promise<CommitResult> {
      if (input.entries.length === 0) throw new Error("entries must hold at least one ledger entry");
      if (input.entries.length > MAX_TRANSACTION_ITEMS - 1) {
        throw new Error(`entries must hold at most ${MAX_TRANSACTION_ITEMS - 1} ledger entries`);
      }
      if (input.sourceKey.length === 0) throw new Error("sourceKey must not be empty");
      const fingerprint = sourceKeyFingerprint(input.sourceKey);
      const previousKeys = input.previous?.recentKeys ?? [];
      // The version condition guarantees `previous` is current, so this check is as good as a
      // server-side one — and a retried event with a changed occurredAt costs no write at all.
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
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: [statePut, ...entryPuts] }));
        return { outcome: "committed", version };
      } catch (error) {
        const outcome = classifyCancellation(error, STATE_INDEX);
        if (outcome === undefined) throw error;
        return { outcome };
      }
    },

    /** One strongly consistent GetItem; used e.g. to find the earn entry a refund reverses. */
    async getLedgerEntry<E = Json>(memberId: string, sk: string): Promise<LedgerRecord<E> | undefined> {
      assertLedgerSk(sk);
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { PK: { S: memberPk(memberId) }, SK: { S: sk } },
          ConsistentRead: true,
        }),
      );
      return Item ? { sk, entry: unmarshall(Item.entry?.M ?? {}) as E } : undefined;
    },

    /** Newest first, one eventually consistent Query per page. */
    async queryLedger<E = Json>(
      memberId: string,
      page: { limit?: number; cursor?: string } = {},
    ): Promise<LedgerPage<E>> {
      const limit = page.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
        throw new Error(`limit must be an integer from 1 to ${MAX_PAGE}, got ${limit}`);
      }
      if (page.cursor !== undefined) assertLedgerSk(page.cursor);
      const pk = memberPk(memberId);
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :ledger)",
          ExpressionAttributeValues: { ":pk": { S: pk }, ":ledger": { S: LEDGER_PREFIX } },
          ScanIndexForward: false,
          Limit: limit,
          ...(page.cursor ? { ExclusiveStartKey: { PK: { S: pk }, SK: { S: page.cursor } } } : {}),
        }),
      );
      const records = (result.Items ?? []).map((item) => ({
        sk: item.SK?.S ?? "",
        entry: unmarshall(item.entry?.M ?? {}) as E,
      }));
      const cursor = result.LastEvaluatedKey?.SK?.S;
      return cursor ? { records, cursor } : { records };
    },

    /** Member ids whose last activity fell on `day` (YYYY-MM-DD, UTC), one Query page at a time per shard. */
    async *membersLastActiveOn(day: string): AsyncGenerator<string> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`day must be YYYY-MM-DD, got "${day}"`);
      for (let shard = 0; shard < LAST_ACTIVE_SHARDS; shard += 1) {
        let start: Record<string, AttributeValue> | undefined;
        do {
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: LAST_ACTIVE_INDEX,
              KeyConditionExpression: "GSI1PK = :bucket",
              ExpressionAttributeValues: { ":bucket": { S: lastActivePk(day, shard) } },
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          for (const item of result.Items ?? []) if (item.GSI1SK?.S) yield item.GSI1SK.S;
          start = result.LastEvaluatedKey;
        } while (start);
      }
    },

    /** PII lives on its own item, so reading or committing member state never touches it. */
    async putProfile<P extends Json>(memberId: string, profile: P): Promise<void> {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            PK: { S: memberPk(memberId) },
            SK: { S: PROFILE_SK },
            profile: { M: marshall(profile, { removeUndefinedValues: true }) },
            updatedAt: { S: clock().toISOString() },
          },
        }),
      );
    },

    async getProfile<P extends Json = Json>(memberId: string): Promise<P | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { PK: { S: memberPk(memberId) }, SK: { S: PROFILE_SK } },
        }),
      );
      return Item ? (unmarshall(Item.profile?.M ?? {}) as P) : undefined;
    },
  };
}

export type MemberRepository = ReturnType<typeof createMemberRepository>;
