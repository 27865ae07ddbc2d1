import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { itemSize } from "../../functions/adapters/dynamo/item-size";
import type { ReplayEvent } from "../replay/replay-events";

// The storage requests of a batched design, for the replay's ceiling: a consumer that takes events in batches
// (an SQS event source hands a Lambda 10 by default) reads the batch's members with one BatchGetItem and commits
// every event of the batch in one TransactWriteItems. Each event keeps its business-key record and ledger entry
// and the batch commits all or nothing, so exactly-once holds; a member's STATE is written once per batch,
// whatever its events in it (one transaction may not touch an item twice).

export type Item = Record<string, AttributeValue>;

/** An item with these keys, padded to `bytes` (at least its keys). */
export function sized(keys: Item, bytes: number | undefined): Item {
  const bare = { ...keys, pad: { S: "" } };
  return { ...keys, pad: { S: "x".repeat(Math.max(0, (bytes ?? 0) - itemSize(bare))) } };
}

export interface BatchedStorageOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Mean item sizes by request and kind, as the replay wrote them ("PutItem PROFILE", …). */
  itemBytes: Readonly<Record<string, number>>;
  keyPrefix: string;
}

const MAX_ATTEMPTS = 8;
const NEW = "attribute_not_exists(PK)";

/** Cancelled only because another transaction held one of its items: a consumer would retry the batch. */
const lostRace = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).every((r) => r.Code === "None" || r.Code === "TransactionConflict");

/** Sends one batch's requests; `retries` counts the transactions that met another on an item and ran again. */
export function batchedStorage(options: BatchedStorageOptions) {
  const { client, tableName: TableName, itemBytes, keyPrefix } = options;
  const key = (memberId: string, sk: string): Item => ({
    PK: { S: `${keyPrefix}MEMBER#${memberId}` },
    SK: { S: sk },
  });
  const put = (Item: Item, condition?: string) => ({
    Put: { TableName, Item, ...(condition && { ConditionExpression: condition }) },
  });
  const itemsOf = (event: ReplayEvent, n: number) => {
    const { memberId } = JSON.parse(event.entry.Detail ?? "{}") as { memberId: string };
    if (event.entry.DetailType === "Member Enrolled")
      return [put(sized(key(memberId, "PROFILE"), itemBytes["PutItem PROFILE"]), NEW)];
    if (event.entry.DetailType === "Purchase Completed")
      return [
        put(
          sized({ PK: { S: `${keyPrefix}KEY#${n}` }, SK: { S: "KEY" } }, itemBytes["TransactWriteItems KEY"]),
          NEW,
        ),
        put(sized(key(memberId, `LEDGER#${n}`), itemBytes["TransactWriteItems LEDGER"]), NEW),
      ];
    throw new Error(`the batched ceiling has no storage pattern for "${event.entry.DetailType}"`);
  };
  let retries = 0;
  return {
    retries: () => retries,
    /** The batch's requests; `offset` numbers its events for their keys. */
    async commit(events: readonly ReplayEvent[], offset: number): Promise<void> {
      const members = [
        ...new Set(events.map((e) => (JSON.parse(e.entry.Detail ?? "{}") as { memberId: string }).memberId)),
      ];
      const read = await client.send(
        new BatchGetItemCommand({
          RequestItems: { [TableName]: { Keys: members.map((m) => key(m, "STATE")), ConsistentRead: true } },
        }),
      );
      if (Object.keys(read.UnprocessedKeys ?? {}).length > 0)
        throw new Error("BatchGetItem left keys unread");
      // STATE without a version check, as in the per-event ceiling (see replay-ceiling.ts).
      const TransactItems = [
        ...members.map((m) => put(sized(key(m, "STATE"), itemBytes["TransactWriteItems STATE"]))),
        ...events.flatMap((event, i) => itemsOf(event, offset + i)),
      ];
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(new TransactWriteItemsCommand({ TransactItems }));
          return;
        } catch (error) {
          if (!lostRace(error) || attempt === MAX_ATTEMPTS) throw error;
          retries += 1;
        }
      }
    },
  };
}
