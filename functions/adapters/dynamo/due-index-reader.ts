import { type AttributeValue, type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { DUE_INDEX, dueBucketKeys } from "./keys";

// The due index (GSI1): which members the retention job must look at on a day, filed by the STATE item's
// `state.retention.dueOn` (see keys.ts `dueIndexKeys`, written with every state write).

export function createDueIndexReader(options: {
  client: DynamoDBClient;
  tableName: string;
  dueShards: number;
}) {
  const { client, tableName, dueShards } = options;
  return {
    /**
     * Member ids filed under `day` (YYYY-MM-DD) in the due index: one Query per shard, pages followed.
     * Eventually consistent (GSIs are); an entry may be stale, so callers re-check the member's due day.
     */
    async *membersDueOn(day: string): AsyncGenerator<string> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`day must be YYYY-MM-DD, got "${day}"`);
      for (const bucket of dueBucketKeys(day, dueShards)) {
        let start: Record<string, AttributeValue> | undefined;
        do {
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: DUE_INDEX,
              KeyConditionExpression: "GSI1PK = :bucket",
              ExpressionAttributeValues: { ":bucket": { S: bucket } },
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          for (const item of result.Items ?? []) if (item.GSI1SK?.S) yield item.GSI1SK.S;
          start = result.LastEvaluatedKey;
        } while (start);
      }
    },
  };
}
