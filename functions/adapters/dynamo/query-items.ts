import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/client-dynamodb";

// The one "page through a Query" loop of the adapters: follow LastEvaluatedKey until the last page.

export type Item = Record<string, AttributeValue>;

/**
 * Every item `input` selects, page after page. `pageLimit` sets each page's Limit (page 0 first) where it
 * should change from page to page; a consumer that stops early reads no further page.
 */
export async function* queryItems(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, "ExclusiveStartKey">,
  options: { pageLimit?: (page: number) => number } = {},
): AsyncGenerator<Item> {
  let start: Item | undefined;
  for (let page = 0; ; page += 1) {
    const result = await client.send(
      new QueryCommand({
        ...input,
        ...(options.pageLimit && { Limit: options.pageLimit(page) }),
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    yield* result.Items ?? [];
    start = result.LastEvaluatedKey;
    if (!start) return;
  }
}

/** All items of `input`, in order, as one array. */
export async function queryAll(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, "ExclusiveStartKey">,
): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of queryItems(client, input)) items.push(item);
  return items;
}

/** Every item of the partition `pk` whose sort key starts with `prefix`, strongly consistent, in order. */
export function queryPrefix(
  client: DynamoDBClient,
  query: { tableName: string; pk: AttributeValue; prefix: string },
): Promise<Item[]> {
  return queryAll(client, {
    TableName: query.tableName,
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
    ExpressionAttributeValues: { ":pk": query.pk, ":prefix": { S: query.prefix } },
    ConsistentRead: true,
  });
}
