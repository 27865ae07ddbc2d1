import {
  type AttributeValue,
  GetItemCommand,
  type Put,
  PutItemCommand,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { batchGetItems } from "./batch-get";
import type { TableAccess } from "./client";
import { conditionHeld } from "./conditional-write";
import { dueIndexAttributes } from "./due-index";
import { memberIdOfPk, memberPk, STATE_SK } from "./keys";
import { decodeState, STATE_ATTRIBUTE, stateAttribute } from "./state-codec";

// A member's STATE item: the compressed state (state-codec.ts), always replaced whole under an optimistic
// version, the ring of recently applied source keys, and the due-index attributes (due-index.ts). Member
// state is opaque JSON here: the domain owns its shape.

type Json = Record<string, unknown>;

export interface MemberSnapshot<S extends Json = Json> {
  state: S;
  /** Optimistic-lock version: 1 after the first commit, +1 per commit. */
  version: number;
  /** Fingerprints of the most recently applied source keys, newest first. */
  recentKeys: readonly string[];
}

/** A replacement of STATE: `nextState` over `previous` (undefined for a member not yet stored). */
export interface StateChange<S extends Json> {
  memberId: string;
  previous: MemberSnapshot<S> | undefined;
  nextState: S;
  /** The ring to store; default: `previous`'s, unchanged. */
  recentKeys?: readonly string[];
}

const fromFingerprint = (fingerprint: string): AttributeValue => ({
  B: Buffer.from(fingerprint, "base64url"),
});
const toFingerprint = (value: AttributeValue): string =>
  Buffer.from(value.B ?? new Uint8Array()).toString("base64url");

const stateKey = (memberId: string): Record<string, AttributeValue> => ({
  PK: { S: memberPk(memberId) },
  SK: { S: STATE_SK },
});

const toSnapshot = <S extends Json>(item: Record<string, AttributeValue>): MemberSnapshot<S> => ({
  state: decodeState<S>(item[STATE_ATTRIBUTE]),
  version: Number(item.version?.N),
  recentKeys: (item.recentKeys?.L ?? []).map(toFingerprint),
});

export interface MemberStateStoreOptions extends TableAccess {
  /** Shards per due day of the due index. */
  dueShards: number;
  clock: () => Date;
}

/**
 * The Put of STATE at the version after `previous`: conditioned on that version, or, for a member not yet
 * stored, on no STATE item existing.
 */
function statePut<S extends Json>(options: MemberStateStoreOptions, change: StateChange<S>): Put {
  const { memberId, previous, nextState } = change;
  const recent = change.recentKeys ?? previous?.recentKeys ?? [];
  return {
    TableName: options.tableName,
    Item: {
      ...stateKey(memberId),
      [STATE_ATTRIBUTE]: stateAttribute(nextState),
      version: { N: String((previous?.version ?? 0) + 1) },
      recentKeys: { L: recent.map(fromFingerprint) },
      updatedAt: { S: options.clock().toISOString() },
      ...dueIndexAttributes(memberId, nextState, options.dueShards),
    },
    ...(previous
      ? {
          ConditionExpression: "version = :expected",
          ExpressionAttributeValues: { ":expected": { N: String(previous.version) } },
        }
      : { ConditionExpression: "attribute_not_exists(PK)" }),
  };
}

export function createMemberStateStore(options: MemberStateStoreOptions) {
  const { client, tableName } = options;
  return {
    /** One strongly consistent GetItem, whatever the length of the member's history. */
    async getMember<S extends Json = Json>(memberId: string): Promise<MemberSnapshot<S> | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: stateKey(memberId), ConsistentRead: true }),
      );
      return Item ? toSnapshot<S>(Item) : undefined;
    },

    /**
     * Several members' STATE items with BatchGetItem, by default eventually consistent (½ RU each up to 4 KB):
     * for selecting work; a change computed from them must still be committed under the version condition.
     * `consistent` for a batch of events, whose commit would otherwise fail on a stale version more often.
     */
    async getMembers<S extends Json = Json>(
      memberIds: readonly string[],
      read: { consistent?: boolean } = {},
    ): Promise<Map<string, MemberSnapshot<S>>> {
      const items = await batchGetItems(client, tableName, memberIds.map(stateKey), {
        ...(read.consistent && { consistentRead: true }),
      });
      return new Map(items.map((item) => [memberIdOfPk(item.PK?.S) ?? "", toSnapshot<S>(item)]));
    },

    /**
     * The version-checked Put of a member's STATE item as a transaction action: the commit's, and that of
     * writers that change state together with items of their own (a merge, the retention job's claims).
     */
    statePutAction<S extends Json>(change: StateChange<S>): TransactWriteItem {
      return { Put: statePut(options, change) };
    },

    /**
     * Replaces a member's STATE alone under the version condition, for a change that moves no points and so
     * has no ledger entry (e.g. the birthday the retention triggers use). "conflict": another writer was first.
     */
    async putState<S extends Json>(
      change: Omit<StateChange<S>, "previous"> & { previous: MemberSnapshot<S> },
    ): Promise<{ outcome: "committed" | "conflict" }> {
      const written = await conditionHeld(client.send(new PutItemCommand(statePut(options, change))));
      return { outcome: written ? "committed" : "conflict" };
    },

    /**
     * Stores a member's first state without a ledger entry (enrolment moves no points): a Put
     * conditioned on the STATE item not existing, which also makes it idempotent.
     */
    async createMember<S extends Json>(memberId: string, state: S): Promise<"created" | "exists"> {
      const put = statePut(options, { memberId, previous: undefined, nextState: state });
      return (await conditionHeld(client.send(new PutItemCommand(put)))) ? "created" : "exists";
    },
  };
}

export type MemberStateStore = ReturnType<typeof createMemberStateStore>;
