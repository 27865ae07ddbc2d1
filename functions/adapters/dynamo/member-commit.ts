import { type TransactWriteItem, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { type AppliedBefore, businessKeyPut, type createBusinessKeyStore } from "./business-keys";
import type { TableAccess } from "./client";
import { appliedFingerprint, ledgerSortKey } from "./keys";
import { type LedgerEntryKeys, ledgerPutActions, type OutboundEvent } from "./ledger-store";
import type { MemberSnapshot, MemberStateStore } from "./member-state-store";
import { classifyCancellation, MAX_TRANSACTION_ITEMS } from "./transaction-outcome";
import { writeTogether } from "./write-together";

// The one commit path of a member change: the new STATE, the business-key record and the ledger entries (plus
// the caller's extra actions) in ONE TransactWriteItems, so a change is written whole and exactly once.

type Json = Record<string, unknown>;

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
  /**
   * Transactions the whole change takes when it is more than this one (ledger-parts.ts writes the rest): noted
   * on the business-key record, so a re-run can tell a finished change from an interrupted one.
   */
  parts?: number;
  /** Published by the stream consumer once this commit is durable; stored on the first entry. */
  outbound?: readonly OutboundEvent[];
  /**
   * Writes to the member's other items that belong to the same change (offer codes redeemed or given back,
   * their campaign counters). A failed condition on one is a conflict: the change is decided again.
   */
  extraActions?: readonly TransactWriteItem[];
  /**
   * Facts the change makes true once per member for ever, beyond its own event (a challenge's completion: keys.ts
   * `challengeCompletionKey`), each with the entry that records it: put as business-key records under
   * attribute_not_exists. When one exists the commit writes nothing and answers "once-taken" with those keys.
   */
  onceKeys?: readonly { key: string; entry: E }[];
}

export type CommitResult =
  | { outcome: "committed"; version: number }
  | { outcome: "conflict" }
  /** Once keys recorded before (by an earlier commit): decide again knowing those facts hold. */
  | { outcome: "once-taken"; keys: string[] }
  | AppliedBefore;

// Positions in the transaction: STATE, the business-key record, the ledger entries, the once keys, the extra
// actions.
const STATE_INDEX = 0;
const KEY_INDEX = 1;

function assertCommittable(input: CommitInput<Json, LedgerEntryKeys>): void {
  if (input.entries.length === 0) throw new Error("entries must hold at least one ledger entry");
  // The transaction also holds STATE and the business-key record.
  const items = input.entries.length + (input.onceKeys?.length ?? 0) + (input.extraActions?.length ?? 0);
  if (items > MAX_TRANSACTION_ITEMS - 2) {
    throw new Error(
      `entries, once keys and extra actions must be at most ${MAX_TRANSACTION_ITEMS - 2} items`,
    );
  }
  if (input.sourceKey.length === 0) throw new Error("sourceKey must not be empty");
}

export function createMemberCommit(
  options: TableAccess & {
    /** Size of the recent-source-keys ring on the STATE item. */
    recentKeyLimit: number;
    clock: () => Date;
    states: Pick<MemberStateStore, "statePutAction">;
    keys: Pick<ReturnType<typeof createBusinessKeyStore>, "compareApplied">;
  },
) {
  const { client, tableName, recentKeyLimit, clock, states, keys } = options;

  /** The transaction's actions, in the order of STATE_INDEX and KEY_INDEX. */
  function transactItems<S extends Json>(input: CommitInput<S, LedgerEntryKeys>, fingerprint: string) {
    const recentKeys = [fingerprint, ...(input.previous?.recentKeys ?? [])].slice(0, recentKeyLimit);
    const statePut = states.statePutAction({ ...input, recentKeys });
    const entryPuts = ledgerPutActions({ tableName, ...input });
    const appliedAt = clock().toISOString();
    const keyPut = businessKeyPut(tableName, input.sourceKey, {
      memberId: input.keyMemberId ?? input.memberId,
      payload: input.payload,
      appliedAt,
      ledgerSk: ledgerSortKey(input.entries[0] as LedgerEntryKeys),
      ...(input.answer && { answer: input.answer }),
      ...(input.parts !== undefined && input.parts > 1 && { parts: input.parts }),
    });
    // Recorded for the member whose state holds the fact, pointing at the entry that records it.
    const oncePuts = (input.onceKeys ?? []).map(({ key, entry }) => ({
      Put: businessKeyPut(tableName, key, {
        memberId: input.memberId,
        payload: input.payload,
        appliedAt,
        ledgerSk: ledgerSortKey(entry),
      }),
    }));
    const extraFrom = KEY_INDEX + 1 + entryPuts.length;
    return {
      items: [statePut, { Put: keyPut }, ...entryPuts, ...oncePuts, ...(input.extraActions ?? [])],
      extraFrom,
      onceKeys: { from: extraFrom, count: oncePuts.length },
    };
  }

  return {
    /**
     * Writes the new state and the ledger entries in ONE TransactWriteItems: STATE is replaced under
     * a version condition, each entry is put under attribute_not_exists. Nothing is written unless
     * the outcome is "committed".
     */
    async commit<S extends Json, E extends LedgerEntryKeys>(input: CommitInput<S, E>): Promise<CommitResult> {
      assertCommittable(input);
      const fingerprint = appliedFingerprint(input.sourceKey, input.payload);
      // A cheap early exit, not the guarantee (that is the business-key record): a recent redelivery,
      // even with a changed occurredAt, costs no write. The version condition keeps `previous` current.
      if (input.previous?.recentKeys.includes(fingerprint)) return { outcome: "duplicate" };

      const { items, extraFrom, onceKeys } = transactItems(input, fingerprint);
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return { outcome: "committed", version: (input.previous?.version ?? 0) + 1 };
      } catch (error) {
        const cancelled = classifyCancellation(error, {
          stateIndex: STATE_INDEX,
          keyIndex: KEY_INDEX,
          extraFrom,
          onceKeys,
        });
        if (cancelled === undefined) throw error;
        if (cancelled.kind === "once-taken") {
          const keys = cancelled.taken.flatMap((index) => input.onceKeys?.[index]?.key ?? []);
          return { outcome: "once-taken", keys };
        }
        if (cancelled.kind !== "key-exists") return { outcome: cancelled.kind };
        const keyOwner = input.keyMemberId ?? input.memberId;
        return keys.compareApplied({ ...input, memberId: keyOwner }, cancelled.existing);
      }
    },

    /**
     * Changes of distinct members in as few TransactWriteItems as DynamoDB's limits allow (100 items, 4 MB), each
     * transaction all or nothing. The changes may have no extra actions: those write items other members' changes
     * share (campaign and partner counters), which one transaction may not touch twice. Answers each change's new
     * version, or undefined when its transaction did not commit (or its key is on the STATE ring): then nothing of
     * it was written, and the caller runs it through `commit`, which tells a duplicate, a conflict and a lost race
     * apart. A transaction whose outcome is unknown (a timeout) is answered undefined too: if it did commit, the
     * business-key record makes the second run a duplicate.
     */
    async commitTogether<S extends Json, E extends LedgerEntryKeys>(
      inputs: readonly CommitInput<S, E>[],
    ): Promise<(number | undefined)[]> {
      if (new Set(inputs.map((input) => input.memberId)).size !== inputs.length)
        throw new Error("commitTogether takes at most one change per member");
      const sent: { index: number; items: TransactWriteItem[] }[] = [];
      for (const [index, input] of inputs.entries()) {
        assertCommittable(input);
        if ((input.extraActions?.length ?? 0) > 0)
          throw new Error("changes committed together may have no extra actions");
        const fingerprint = appliedFingerprint(input.sourceKey, input.payload);
        if (!input.previous?.recentKeys.includes(fingerprint))
          sent.push({ index, items: transactItems(input, fingerprint).items });
      }
      const committed = await writeTogether(
        client,
        sent.map(({ items }) => items),
      );
      const versions: (number | undefined)[] = inputs.map(() => undefined);
      for (const [k, { index }] of sent.entries())
        if (committed[k]) versions[index] = (inputs[index]?.previous?.version ?? 0) + 1;
      return versions;
    },
  };
}
