import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

type Item = Record<string, AttributeValue>;

/** BatchGetItem takes at most 100 keys per request. */
const MAX_KEYS = 100;
const ATTEMPTS = 5;

/**
 * The items of `keys` (in no particular order; missing ones left out), in requests of 100 keys, retrying the
 * keys DynamoDB leaves unprocessed with a short backoff; throws if some are still unprocessed after 5 attempts.
 */
export async function batchGetItems(
  client: DynamoDBClient,
  tableName: string,
  keys: readonly Item[],
  options: { consistentRead?: boolean } = {},
): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += MAX_KEYS) {
    let pending = keys.slice(start, start + MAX_KEYS);
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > ATTEMPTS) throw new Error(`BatchGetItem: ${pending.length} keys still unprocessed`);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: { Keys: pending, ...(options.consistentRead && { ConsistentRead: true }) },
          },
        }),
      );
      items.push(...(Responses?.[tableName] ?? []));
      pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
