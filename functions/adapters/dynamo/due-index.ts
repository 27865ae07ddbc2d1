import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { TableAccess } from "./client";
import { DUE_INDEX, dueBucketKeys, dueIndexKeys } from "./keys";
import { queryItems } from "./query-items";

// The due index (GSI1): which members the retention job must look at on a day, filed by the STATE item's
// `state.retention.dueOn` (see keys.ts `dueIndexKeys`, written with every state write).

/**
 * The GSI1 attributes that file a STATE item under its due day; none without a due day. An unchanged day is
 * no index write. A merged member's forwarding record is never due.
 */
export function dueIndexAttributes(
  memberId: string,
  state: Record<string, unknown>,
  shards: number,
): Record<string, AttributeValue> {
  const dueOn = (state.retention as { dueOn?: unknown } | undefined)?.dueOn;
  if (typeof dueOn !== "string" || state.status === "merged") return {};
  const keys = dueIndexKeys(memberId, dueOn, shards);
  return { GSI1PK: { S: keys.GSI1PK }, GSI1SK: { S: keys.GSI1SK } };
}

export function createDueIndexReader(options: TableAccess & { dueShards: number }) {
  const { client, tableName, dueShards } = options;
  return {
    /**
     * Member ids filed under `day` (YYYY-MM-DD) in the due index: one Query per shard, pages followed.
     * Eventually consistent (GSIs are); an entry may be stale, so callers re-check the member's due day.
     */
    async *membersDueOn(day: string): AsyncGenerator<string> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`day must be YYYY-MM-DD, got "${day}"`);
      for (const bucket of dueBucketKeys(day, dueShards)) {
        const items = queryItems(client, {
          TableName: tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: "GSI1PK = :bucket",
          ExpressionAttributeValues: { ":bucket": { S: bucket } },
        });
        for await (const item of items) if (item.GSI1SK?.S) yield item.GSI1SK.S;
      }
    },
  };
}
