import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { untilProcessed } from "./until-processed";

type Item = Record<string, AttributeValue>;

/** BatchGetItem takes at most 100 keys per request. */
const MAX_KEYS = 100;
const ATTEMPTS = 5;

/**
 * The items of `keys` (in no particular order; missing ones left out), in requests of 100 keys, retrying the
 * keys DynamoDB leaves unprocessed after a full-jitter backoff; throws if some are still unprocessed after 5 attempts.
 */
export async function batchGetItems(
  client: DynamoDBClient,
  tableName: string,
  keys: readonly Item[],
  options: { consistentRead?: boolean } = {},
): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += MAX_KEYS) {
    await untilProcessed(
      keys.slice(start, start + MAX_KEYS),
      async (pending) => {
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [tableName]: { Keys: [...pending], ...(options.consistentRead && { ConsistentRead: true }) },
            },
          }),
        );
        items.push(...(Responses?.[tableName] ?? []));
        return UnprocessedKeys?.[tableName]?.Keys ?? [];
      },
      { attempts: ATTEMPTS, what: "BatchGetItem" },
    );
  }
  return items;
}
