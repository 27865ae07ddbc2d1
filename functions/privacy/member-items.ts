import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { memberPk } from "../adapters/dynamo/keys";

// Paged reads of one partition's items and the conditional writes erasure makes, shared by export and erasure.

export interface TableDeps {
  client: DynamoDBClient;
  tableName: string;
}

export type Item = Record<string, AttributeValue>;

/**
 * One page of a partition's items (under an SK prefix, when given); `after` is the SK the previous page
 * stopped at.
 */
export async function queryPrefix(
  deps: TableDeps,
  query: { pk: string; prefix?: string; limit: number; after?: string; newestFirst?: boolean },
): Promise<{ items: Item[]; lastSk?: string }> {
  const { Items = [], LastEvaluatedKey } = await deps.client.send(
    new QueryCommand({
      TableName: deps.tableName,
      KeyConditionExpression:
        query.prefix === undefined ? "PK = :pk" : "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: {
        ":pk": { S: query.pk },
        ...(query.prefix !== undefined && { ":prefix": { S: query.prefix } }),
      },
      ScanIndexForward: !query.newestFirst,
      Limit: query.limit,
      ...(query.after !== undefined && {
        ExclusiveStartKey: { PK: { S: query.pk }, SK: { S: query.after } },
      }),
    }),
  );
  const lastSk = LastEvaluatedKey?.SK?.S;
  return { items: Items, ...(lastSk !== undefined && { lastSk }) };
}

/** Every item (under the prefix), page by page: each page is handed to `visit` before the next is read. */
export async function forEachPage(
  deps: TableDeps,
  query: { pk: string; prefix?: string; pageSize?: number },
  visit: (items: Item[]) => Promise<void>,
): Promise<void> {
  let after: string | undefined;
  do {
    const page = await queryPrefix(deps, {
      pk: query.pk,
      ...(query.prefix !== undefined && { prefix: query.prefix }),
      limit: query.pageSize ?? 500,
      ...(after !== undefined && { after }),
    });
    await visit(page.items);
    after = page.lastSk;
  } while (after !== undefined);
}

/** At most `max` items of the member's partition under the prefix; `truncated` when there were more. */
export async function memberItems(
  deps: TableDeps,
  memberId: string,
  prefix: string,
  max: number,
): Promise<{ items: Record<string, unknown>[]; truncated: boolean }> {
  const page = await queryPrefix(deps, { pk: memberPk(memberId), prefix, limit: max });
  const items = page.items.map((item) => {
    const { PK: _pk, GSI1PK: _gpk, GSI1SK: _gsk, ...rest } = unmarshall(item);
    return rest;
  });
  return { items, truncated: page.lastSk !== undefined };
}

/** Replaces an item that must still exist (a rewrite never resurrects one deleted meanwhile). */
export async function replaceExisting(deps: TableDeps, item: Record<string, unknown>): Promise<boolean> {
  try {
    await deps.client.send(
      new PutItemCommand({
        TableName: deps.tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
        ConditionExpression: "attribute_exists(PK)",
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Deletes an item, only while `condition` holds (when given); true when something was deleted. */
export async function deleteItem(
  deps: TableDeps,
  key: Item,
  condition?: { expression: string; values: Item },
): Promise<boolean> {
  try {
    const { Attributes } = await deps.client.send(
      new DeleteItemCommand({
        TableName: deps.tableName,
        Key: key,
        ReturnValues: "ALL_OLD",
        ...(condition && {
          ConditionExpression: condition.expression,
          ExpressionAttributeValues: condition.values,
        }),
      }),
    );
    return Attributes !== undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** What erasure changed, counted by kind of item (`ledger`, `identityLinks`, `rejectedEvents`, …). */
export type Counts = Record<string, number>;

export const bump = (counts: Counts, kind: string) => {
  counts[kind] = (counts[kind] ?? 0) + 1;
};

/** Puts back rewritten items that still exist, 25 at a time, counting each one put under `kind`. */
export async function replaceAll(
  deps: TableDeps,
  items: readonly Record<string, unknown>[],
  tally: { counts: Counts; kind: string },
): Promise<void> {
  await inBatches(items, 25, async (item) => {
    if (await replaceExisting(deps, item)) bump(tally.counts, tally.kind);
  });
}

/** Deletes items (each only while `condition` holds, when given), counting each one deleted under `kind`. */
export async function deleteAll(
  deps: TableDeps,
  keys: readonly Item[],
  tally: { counts: Counts; kind: string; condition?: { expression: string; values: Item } },
): Promise<void> {
  await inBatches(keys, 25, async (key) => {
    if (await deleteItem(deps, key, tally.condition)) bump(tally.counts, tally.kind);
  });
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += limit) await Promise.all(items.slice(i, i + limit).map(work));
}
