import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { LedgerEntry, PartnerTotals } from "../../../domain";
import { partnerMovements } from "../../../domain/ledger/partner-shares";
import { shardOf } from "../../../domain/retention/due-buckets";
import type { TableAccess } from "./client";
import { addCounters } from "./counter-update";
import { partnerCounterPk, partnerCounterSk, partnerMonthPrefix } from "./keys";
import { queryItems } from "./query-items";

// Per-partner monthly statement counters (issue #18). Every commit whose ledger entries move a partner's
// points ADDs them to `PARTNER#<id> / <month>#<shard>` in the same transaction as the entries, so the counters
// are exactly the sum over the ledger (a duplicate commit writes neither). Why counters and not a ledger scan:
// the ledger is partitioned by member, so a statement computed from it would read every member's month;
// the counters make it one Query of shards × 1 small items, whatever the member count. Shards (the due-index
// shard of the member) keep concurrent purchases at one partner from contending for one item.

const FIELDS = ["issued", "redeemed", "expired", "reversed", "redeemedWith"] as const;

/** One member's entries in a transaction. */
type MemberEntries = { memberId: string; entries: readonly LedgerEntry[] };

export function createPartnerCounters(options: TableAccess & { shards: number }) {
  const { client, tableName, shards } = options;
  /**
   * One ADD per (partner, month, shard) the members' entries touch: a transaction may touch an item only once,
   * so members on the same shard (a merge's two sides) have their movements added up.
   */
  const partnerCounterWritesOf = (members: readonly MemberEntries[]): TransactWriteItem[] => {
    const byShard = new Map<number, LedgerEntry[]>();
    for (const { memberId, entries } of members) {
      const shard = shardOf(memberId, shards);
      byShard.set(shard, [...(byShard.get(shard) ?? []), ...entries]);
    }
    return [...byShard].flatMap(([shard, entries]) =>
      partnerMovements(entries).flatMap(
        (m) =>
          addCounters({
            tableName,
            key: { PK: { S: partnerCounterPk(m.partnerId) }, SK: { S: partnerCounterSk(m.month, shard) } },
            deltas: Object.fromEntries(FIELDS.map((field) => [field, m[field]])),
          }) ?? [],
      ),
    );
  };
  return {
    /** The counter writes of one member's entries. */
    partnerCounterWrites(memberId: string, entries: readonly LedgerEntry[]): TransactWriteItem[] {
      return partnerCounterWritesOf([{ memberId, entries }]);
    },

    partnerCounterWritesOf,

    /** A partner's figures for one month, summed over the shards (zeros when nothing moved). */
    async readPartnerMonth(partnerId: string, month: string): Promise<PartnerTotals> {
      const totals: PartnerTotals = { issued: 0, redeemed: 0, expired: 0, reversed: 0, redeemedWith: 0 };
      const items = queryItems(client, {
        TableName: tableName,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :month)",
        ExpressionAttributeValues: {
          ":pk": { S: partnerCounterPk(partnerId) },
          ":month": { S: partnerMonthPrefix(month) },
        },
        ConsistentRead: true,
      });
      for await (const item of items)
        for (const field of FIELDS) totals[field] += Number(item[field]?.N ?? 0);
      return totals;
    },
  };
}

export type PartnerCounters = ReturnType<typeof createPartnerCounters>;
