import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { TriggerCounters } from "../../domain/retention/campaign-report";
import type { Trigger } from "../../domain/retention/triggers";
import type { IsoDay } from "../../domain/time";
import { type CounterDelta, counterAction, readCampaignCounters } from "../adapters/dynamo/campaign-counters";
import {
  DUE_INDEX,
  MESSAGE_PREFIX,
  MESSAGE_RETRY_PK,
  memberIdOfPk,
  memberPk,
  messageItemKey,
  messageRetrySk,
  RETENTION_JOB_KEY,
} from "../adapters/dynamo/keys";

// The retention job's own items in the single table (see TABLE-DESIGN.md "Retention"):
// - `MEMBER#<id> / MSG#<messageKey>`: one per message occurrence, the exactly-once record of a send. While a
//   send is owed (claimed, deferred, scheduled) the item sits in the sparse `RETRY` partition of GSI1, keyed by
//   when it may next be attempted; a successful or abandoned send removes it from the index.
// - `CAMPAIGN / <trigger kind>#<shard>`: per-trigger counters, sharded like the due buckets so parallel workers
//   never contend for one item; the report sums the shards.
// - `JOB#retention / STATE`: the last due day the job finished.

export type MessageStatus = "claimed" | "deferred" | "sent" | "dropped";

export interface MessageRecord {
  memberId: string;
  messageKey: string;
  status: MessageStatus;
  trigger: Trigger;
  offerId?: string;
  /** The offer chosen at claim time, rendered again on a retry. */
  offer?: Record<string, unknown>;
  claimedAt: string;
  /** Earliest instant the next send attempt may start (a lease while an attempt is running). */
  nextAttemptAt?: string;
  attempts: number;
  sentAt?: string;
  sesMessageId?: string;
  lastError?: string;
}

export type { CounterDelta };

export function createMessageStore(options: { client: DynamoDBClient; tableName: string }) {
  const { client, tableName } = options;

  /** Sets the message's status and the update's other fields; sent and dropped ones leave the retry index. */
  const mark = async (
    memberId: string,
    messageKey: string,
    status: "sent" | "deferred" | "dropped",
    update: { set: string; values: Record<string, { S: string }>; leavesRetryIndex?: boolean },
  ) => {
    const remove = update.leavesRetryIndex ? " REMOVE GSI1PK, GSI1SK, nextAttemptAt" : "";
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: messageItemKey(memberId, messageKey),
        UpdateExpression: `SET #status = :status, ${update.set}${remove}`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":status": { S: status }, ...update.values },
      }),
    );
  };
  // What SES or the job said, bounded so an error text cannot bloat the item.
  const lastError = (why: string) => ({ S: why.slice(0, 200) });

  return {
    /** Put of a new MSG item, only if that occurrence was never claimed: part of the claim transaction. */
    claimAction(record: MessageRecord): TransactWriteItem {
      const item: Record<string, AttributeValue> = {
        ...messageItemKey(record.memberId, record.messageKey),
        ...marshall({ ...record }, { removeUndefinedValues: true }),
      };
      if (record.nextAttemptAt !== undefined) {
        item.GSI1PK = { S: MESSAGE_RETRY_PK };
        item.GSI1SK = { S: messageRetrySk(record.nextAttemptAt, record.memberId, record.messageKey) };
      }
      return { Put: { TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(PK)" } };
    },

    /** ADD to the sharded counters of one trigger kind: part of the member's transaction. */
    counterAction(kind: string, shard: number, delta: CounterDelta): TransactWriteItem | undefined {
      return counterAction(tableName, { kind, shard }, delta);
    },

    async transact(actions: TransactWriteItem[]): Promise<void> {
      await client.send(new TransactWriteItemsCommand({ TransactItems: actions }));
    },

    async getMessage(memberId: string, messageKey: string): Promise<MessageRecord | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: messageItemKey(memberId, messageKey),
          ConsistentRead: true,
        }),
      );
      return Item ? (unmarshall(Item) as MessageRecord) : undefined;
    },

    /** Messages owed whose next attempt is due by `now`, oldest first (keys only). */
    async dueRetries(
      now: string,
      limit: number,
    ): Promise<{ memberId: string; messageKey: string; sk: string }[]> {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: "GSI1PK = :retry AND GSI1SK < :bound",
          // "$" sorts right after "#", so every entry stamped at or before `now` is included.
          ExpressionAttributeValues: { ":retry": { S: MESSAGE_RETRY_PK }, ":bound": { S: `${now}$` } },
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => ({
        memberId: memberIdOfPk(item.PK?.S) ?? "",
        messageKey: (item.SK?.S ?? "").slice(MESSAGE_PREFIX.length),
        sk: item.GSI1SK?.S ?? "",
      }));
    },

    /**
     * Takes the lease on an owed message for one attempt: moves its next attempt to `leaseUntil`, only if
     * nobody else moved it since `seenSk` was read. False when another run got there first.
     */
    async lease(memberId: string, messageKey: string, seenSk: string, leaseUntil: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: messageItemKey(memberId, messageKey),
            UpdateExpression: "SET GSI1SK = :next, nextAttemptAt = :at ADD attempts :one",
            ConditionExpression: "GSI1SK = :seen",
            ExpressionAttributeValues: {
              ":next": { S: messageRetrySk(leaseUntil, memberId, messageKey) },
              ":at": { S: leaseUntil },
              ":seen": { S: seenSk },
              ":one": { N: "1" },
            },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /** SES accepted it: sent, out of the retry index. */
    async markSent(memberId: string, messageKey: string, sesMessageId: string, at: string): Promise<void> {
      await mark(memberId, messageKey, "sent", {
        set: "sesMessageId = :id, sentAt = :at",
        values: { ":id": { S: sesMessageId }, ":at": { S: at } },
        leavesRetryIndex: true,
      });
    },

    /** Try again at `nextAttemptAt` (SES throttled or failed, or quiet hours). */
    async markDeferred(
      memberId: string,
      messageKey: string,
      nextAttemptAt: string,
      why: string,
    ): Promise<void> {
      await mark(memberId, messageKey, "deferred", {
        set: "nextAttemptAt = :at, GSI1SK = :sk, lastError = :why",
        values: {
          ":at": { S: nextAttemptAt },
          ":sk": { S: messageRetrySk(nextAttemptAt, memberId, messageKey) },
          ":why": lastError(why),
        },
      });
    },

    /** Given up (consent withdrawn, address suppressed, rejected by SES, too late): out of the retry index. */
    async markDropped(memberId: string, messageKey: string, why: string): Promise<void> {
      await mark(memberId, messageKey, "dropped", {
        set: "lastError = :why",
        values: { ":why": lastError(why) },
        leavesRetryIndex: true,
      });
    },

    /** A member's messages (the 360° view), at most `limit`. */
    async listMessages(memberId: string, limit = 50): Promise<MessageRecord[]> {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :msg)",
          ExpressionAttributeValues: { ":pk": { S: memberPk(memberId) }, ":msg": { S: MESSAGE_PREFIX } },
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => unmarshall(item) as MessageRecord);
    },

    /** Every trigger's counters, summed over the shards (one Query; a few hundred small items at most). */
    campaignCounters: (): Promise<Record<string, TriggerCounters>> => readCampaignCounters(client, tableName),

    async lastFinishedDay(): Promise<IsoDay | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: RETENTION_JOB_KEY, ConsistentRead: true }),
      );
      return Item?.lastFinishedDay?.S;
    },

    /** Never moves backwards, so a slow earlier run cannot undo a later one. */
    async finishDay(day: IsoDay, at: string): Promise<void> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...RETENTION_JOB_KEY, lastFinishedDay: { S: day }, finishedAt: { S: at } },
            ConditionExpression: "attribute_not_exists(lastFinishedDay) OR lastFinishedDay < :day",
            ExpressionAttributeValues: { ":day": { S: day } },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
