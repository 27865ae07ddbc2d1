import {
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import {
  type AppliedBefore,
  businessKey,
  businessKeyPut,
  type createBusinessKeyStore,
} from "./business-keys";
import type { TableAccess } from "./client";
import { erasureKey, ledgerSortKey, memberPk, STATE_SK } from "./keys";
import { type LedgerEntryKeys, ledgerPutActions } from "./ledger-store";
import { MAX_TRANSACTION_ITEMS } from "./transaction-outcome";

// A later part of a change too large for one transaction (a migrated member with hundreds of lots): more ledger
// entries of a member the change's first part created (member-commit.ts). One transaction per part: the part's
// own business-key record (exactly once on the part), checks that the member is still the one the change
// created, and the entries. STATE is not written: the first part already holds the full balance. The entries
// carry no outbound events, so the outbox (adapters/bus/outbox.ts) publishes nothing for them.

export interface LedgerPartInput<E extends LedgerEntryKeys> {
  memberId: string;
  /** The version of STATE the caller read and judged (not merged): the part is written only if it still holds. */
  stateVersion: number;
  /** Business key of the change's first part: it must be applied for this member with `payload`. */
  ownerKey: string;
  /** This part's business key. */
  partKey: string;
  payload: string;
  entries: readonly E[];
}

export type LedgerPartResult =
  | { outcome: "written" }
  /** STATE changed since it was read (or another transaction held an item): read it again and retry. */
  | { outcome: "conflict" }
  /** The member was erased: nothing is written into it. */
  | { outcome: "erased" }
  /** The first part's key is not this member's with this payload: the part belongs to no change here. */
  | { outcome: "owner-missing" }
  | AppliedBefore;

// Positions in the transaction: the part's key, the STATE, erasure and owner-key checks, then the entries.
const PART_KEY = 0;
const STATE_CHECK = 1;
const ERASURE_CHECK = 2;
const OWNER_CHECK = 3;
/** Entries one part may hold: the transaction's items less the part's key and its three checks. */
export const MAX_PART_ENTRIES = MAX_TRANSACTION_ITEMS - 4;

export function createLedgerPartWriter(
  options: TableAccess & {
    clock: () => Date;
    keys: Pick<ReturnType<typeof createBusinessKeyStore>, "compareApplied">;
  },
) {
  const { client, tableName, clock, keys } = options;

  function transactItems<E extends LedgerEntryKeys>(input: LedgerPartInput<E>): TransactWriteItem[] {
    const partKey = businessKeyPut(tableName, input.partKey, {
      memberId: input.memberId,
      payload: input.payload,
      appliedAt: clock().toISOString(),
      ledgerSk: ledgerSortKey(input.entries[0] as E),
    });
    return [
      { Put: partKey },
      {
        ConditionCheck: {
          TableName: tableName,
          Key: { PK: { S: memberPk(input.memberId) }, SK: { S: STATE_SK } },
          ConditionExpression: "version = :version",
          ExpressionAttributeValues: { ":version": { N: String(input.stateVersion) } },
        },
      },
      // Erasure keeps STATE, so its record is what says the member was erased.
      {
        ConditionCheck: {
          TableName: tableName,
          Key: erasureKey(input.memberId),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      {
        ConditionCheck: {
          TableName: tableName,
          Key: businessKey(input.ownerKey),
          ConditionExpression: "memberId = :member AND payload = :payload",
          ExpressionAttributeValues: { ":member": { S: input.memberId }, ":payload": { S: input.payload } },
        },
      },
      ...ledgerPutActions({ tableName, memberId: input.memberId, entries: input.entries }),
    ];
  }

  return {
    /**
     * Writes one later part in ONE TransactWriteItems, or nothing. Retried or run twice at once, a part is
     * written once: the second finds the part's key ("duplicate").
     */
    async writeLedgerPart<E extends LedgerEntryKeys>(input: LedgerPartInput<E>): Promise<LedgerPartResult> {
      if (input.entries.length === 0 || input.entries.length > MAX_PART_ENTRIES)
        throw new Error(
          `a ledger part must hold 1 to ${MAX_PART_ENTRIES} entries, got ${input.entries.length}`,
        );
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: transactItems(input) }));
        return { outcome: "written" };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = (index: number) => reasons[index]?.Code === "ConditionalCheckFailed";
        if (failed(PART_KEY))
          return keys.compareApplied({ ...input, sourceKey: input.partKey }, reasons[PART_KEY]?.Item);
        if (failed(ERASURE_CHECK)) return { outcome: "erased" };
        if (failed(OWNER_CHECK)) return { outcome: "owner-missing" };
        // An entry already stored is the part already applied (its key and entries are written together).
        if (reasons.some((reason, index) => index > OWNER_CHECK && reason.Code === "ConditionalCheckFailed"))
          return { outcome: "duplicate" };
        if (failed(STATE_CHECK) || reasons.some((reason) => reason.Code === "TransactionConflict"))
          return { outcome: "conflict" };
        throw error;
      }
    },
  };
}
