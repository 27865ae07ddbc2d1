import type { DynamoDBClient, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { type TriggerCounters, zeroCounters } from "../../../domain/retention/campaign-report";
import { addCounters } from "./counter-update";
import { CAMPAIGN_PK, campaignCounterSk } from "./keys";
import { queryItems } from "./query-items";

// Per-trigger campaign counters, `CAMPAIGN / <trigger kind>#<shard>`, sharded like the due buckets so parallel
// writers never contend for one item; the report sums the shards. The retention job counts sends, control
// members and conversions; a purchase that redeems an offer code counts the redemption and its cost.

export type CounterDelta = Partial<TriggerCounters>;

/** ADD to the sharded counters of one trigger kind, as part of a member's transaction (none for a zero delta). */
export function counterAction(
  tableName: string,
  counter: { kind: string; shard: number },
  delta: CounterDelta,
): TransactWriteItem | undefined {
  return addCounters({
    tableName,
    key: { PK: { S: CAMPAIGN_PK }, SK: { S: campaignCounterSk(counter.kind, counter.shard) } },
    deltas: delta,
  });
}

/** Every trigger's counters, summed over their shards (one Query of the CAMPAIGN partition). */
export async function readCampaignCounters(
  client: DynamoDBClient,
  tableName: string,
): Promise<Record<string, TriggerCounters>> {
  const totals: Record<string, TriggerCounters> = {};
  const items = queryItems(client, {
    TableName: tableName,
    KeyConditionExpression: "PK = :pk",
    ExpressionAttributeValues: { ":pk": { S: CAMPAIGN_PK } },
  });
  for await (const item of items) {
    const sk = item.SK?.S ?? "";
    const kind = sk.slice(0, sk.lastIndexOf("#"));
    const sum = totals[kind] ?? zeroCounters();
    totals[kind] = sum;
    for (const field of Object.keys(sum) as (keyof TriggerCounters)[]) {
      sum[field] += Number(item[field]?.N ?? 0);
    }
  }
  return totals;
}
