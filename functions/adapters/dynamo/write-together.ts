import {
  type DynamoDBClient,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { itemSize } from "./item-size";
import { MAX_TRANSACTION_ITEMS } from "./transaction-outcome";

/** Below DynamoDB's 4 MB a transaction, with room for how its request counts bytes beyond the items' own. */
const MAX_TRANSACTION_BYTES = 4_000_000;

/**
 * Groups of Puts (each one member's change, on items no other group touches) packed in order into as few
 * TransactWriteItems as DynamoDB's limits allow (100 items, 4 MB), sent at once. Answers for each group whether
 * its transaction committed. One that did not wrote nothing, or (a timeout) may have: the caller runs its groups
 * again one by one, where the items' conditions tell what was written.
 */
export async function writeTogether(
  client: DynamoDBClient,
  groups: readonly (readonly TransactWriteItem[])[],
): Promise<boolean[]> {
  const transactions: { indexes: number[]; items: TransactWriteItem[]; bytes: number }[] = [];
  for (const [index, items] of groups.entries()) {
    const bytes = items.reduce((sum, item) => sum + itemSize(item.Put?.Item ?? {}), 0);
    const last = transactions.at(-1);
    if (
      last &&
      last.items.length + items.length <= MAX_TRANSACTION_ITEMS &&
      last.bytes + bytes <= MAX_TRANSACTION_BYTES
    ) {
      last.indexes.push(index);
      last.items.push(...items);
      last.bytes += bytes;
    } else transactions.push({ indexes: [index], items: [...items], bytes });
  }
  const committed = groups.map(() => false);
  await Promise.all(
    transactions.map(async ({ indexes, items }) => {
      const sent = await client.send(new TransactWriteItemsCommand({ TransactItems: items })).then(
        () => true,
        () => false,
      );
      for (const index of indexes) committed[index] = sent;
    }),
  );
  return committed;
}
