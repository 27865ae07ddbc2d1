import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type {
  AdjustmentParty,
  AdjustmentRequestRecord,
  AdjustmentStatus,
} from "../../../domain/member/adjustment-controls";
import { batchGetItems } from "./batch-get";
import { conditionHeld, statusTransition } from "./conditional-write";
import { expiresAfter } from "./item-expiry";
import {
  adjustmentRequestKey,
  DUE_INDEX,
  dailyAdjustedKey,
  PENDING_ADJUSTMENTS_PK,
  pendingAdjustmentSk,
} from "./keys";

// Manual adjustment requests and each marketer's daily counter (see TABLE-DESIGN.md "Adjustment controls").
// A new request and its charge to the requester's counter are one transaction: the counter's condition
// (`points <= limit - charge`) makes the daily limit hold under concurrent requests without reading first,
// and the request's own attribute_not_exists makes a retried request charge once.

export interface StoredAdjustment extends AdjustmentRequestRecord {
  /** Fingerprint of what the Idempotency-Key promised (points and reason). */
  payload: string;
  idempotencyKey: string;
  /** The UTC day whose counter the request was charged to. */
  chargedDay: string;
  ledgerEntryId?: string;
}

export type CreateOutcome = "created" | "exists" | "over-limit";

export interface AdjustmentStore {
  get(adjustmentId: string): Promise<StoredAdjustment | undefined>;
  /** Stores the request and charges `charge` points to its requester's counter for `chargedDay`, atomically. */
  create(request: StoredAdjustment, limit: { charge: number; maxUsedBefore: number }): Promise<CreateOutcome>;
  /** Points the marketer has been charged on `day`. */
  usedOn(sub: string, day: string): Promise<number>;
  /** Moves the request from one of `from` to `to`; false when it was in none of them. */
  transition(adjustmentId: string, change: Transition): Promise<boolean>;
  /** A refused request that needed no approval: deleted and its charge given back, once. */
  release(request: StoredAdjustment): Promise<void>;
  /** A pending request rejected and its charge given back, once; false when it was no longer pending. */
  reject(request: StoredAdjustment, decision: { by: AdjustmentParty; at: string }): Promise<boolean>;
  /** Requests awaiting approval, oldest first. */
  listPending(limit: number): Promise<StoredAdjustment[]>;
}

export type Transition = {
  from: readonly AdjustmentStatus[];
  /** Sets the approver / rejecter and when; `null` clears them (an approval given back). */
  decision?: { by: AdjustmentParty; at: string } | null;
  /** Only when the current decider is this marketer (an approver giving back their own claim). */
  onlyIfDecidedBy?: string;
  ledgerEntryId?: string;
} & (
  | { to: Exclude<AdjustmentStatus, "pending"> }
  /** Back to pending: listed for approvers again, under the time it was requested. */
  | { to: "pending"; requestedAt: string }
);

/** Counters live a little past their day, for a look at yesterday's figures. */
const COUNTER_TTL_DAYS = 8;
/** Requests are kept as long as the audit trail. */
const ADJUSTMENT_TTL_DAYS = 400;

function toItem(request: StoredAdjustment): Record<string, AttributeValue> {
  // What changes later (status, decision, ledger entry) lives beside the request as first stored.
  const { status, decidedBy: _by, decidedAt: _at, ledgerEntryId: _entry, ...base } = request;
  const pending = status === "pending";
  return {
    ...adjustmentRequestKey(request.adjustmentId),
    ...marshall({ request: base }, { removeUndefinedValues: true }),
    status: { S: status },
    expiresAt: expiresAfter(request.requestedAt, ADJUSTMENT_TTL_DAYS),
    ...(pending && {
      GSI1PK: { S: PENDING_ADJUSTMENTS_PK },
      GSI1SK: { S: pendingAdjustmentSk(request.requestedAt, request.adjustmentId) },
    }),
  };
}

function fromItem(item: Record<string, AttributeValue>): StoredAdjustment {
  const { request, status, decidedBy, decidedAt, ledgerEntryId } = unmarshall(item) as {
    request: StoredAdjustment;
    status: AdjustmentStatus;
    decidedBy?: AdjustmentParty;
    decidedAt?: string;
    ledgerEntryId?: string;
  };
  return {
    ...request,
    status,
    ...(decidedBy && { decidedBy }),
    ...(decidedAt && { decidedAt }),
    ...(ledgerEntryId && { ledgerEntryId }),
  };
}

export function createAdjustmentStore(options: {
  client: DynamoDBClient;
  tableName: string;
}): AdjustmentStore {
  const { client, tableName: TableName } = options;

  /** Gives a request's charge back to its requester's counter of the day it was charged to. */
  const refund = (request: StoredAdjustment) => ({
    Update: {
      TableName,
      Key: dailyAdjustedKey(request.requestedBy.sub, request.chargedDay),
      UpdateExpression: "ADD points :refund",
      ExpressionAttributeValues: { ":refund": { N: String(-Math.abs(request.points)) } },
    },
  });

  const get = async (adjustmentId: string) => {
    const { Item } = await client.send(
      new GetItemCommand({ TableName, Key: adjustmentRequestKey(adjustmentId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  };

  return {
    get,
    async create(request, limit) {
      const counterKey = dailyAdjustedKey(request.requestedBy.sub, request.chargedDay);
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: toItem(request),
                  ConditionExpression: "attribute_not_exists(PK)",
                },
              },
              {
                Update: {
                  TableName,
                  Key: counterKey,
                  UpdateExpression: "ADD points :charge SET expiresAt = if_not_exists(expiresAt, :ttl)",
                  ConditionExpression: "attribute_not_exists(points) OR points <= :maxUsedBefore",
                  ExpressionAttributeValues: {
                    ":charge": { N: String(limit.charge) },
                    ":maxUsedBefore": { N: String(limit.maxUsedBefore) },
                    ":ttl": expiresAfter(request.requestedAt, COUNTER_TTL_DAYS),
                  },
                },
              },
            ],
          }),
        );
        return "created";
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [request, counter] = (error.CancellationReasons ?? []).map((r) => r.Code);
        if (request === "ConditionalCheckFailed") return "exists";
        if (counter === "ConditionalCheckFailed") return "over-limit";
        throw error;
      }
    },
    async usedOn(sub, day) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName, Key: dailyAdjustedKey(sub, day), ConsistentRead: true }),
      );
      return Item?.points?.N ? Number(Item.points.N) : 0;
    },
    async transition(adjustmentId, change) {
      const { sets, condition, names, values } = statusTransition({
        ...change,
        set: { ledgerEntryId: change.ledgerEntryId },
      });
      const conditions = [condition];
      const removes = change.decision === null ? ["decidedBy", "decidedAt"] : [];
      if (change.onlyIfDecidedBy !== undefined) {
        conditions.push("decidedBy.#sub = :decider");
        names["#sub"] = "sub";
        values[":decider"] = { S: change.onlyIfDecidedBy };
      }
      // Only a pending request is listed for approvers.
      if (change.to === "pending") {
        sets.push("GSI1PK = :pendingPk", "GSI1SK = :pendingSk");
        values[":pendingPk"] = { S: PENDING_ADJUSTMENTS_PK };
        values[":pendingSk"] = { S: pendingAdjustmentSk(change.requestedAt, adjustmentId) };
      } else removes.push("GSI1PK", "GSI1SK");
      return conditionHeld(
        client.send(
          new UpdateItemCommand({
            TableName,
            Key: adjustmentRequestKey(adjustmentId),
            UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
            ConditionExpression: conditions.join(" AND "),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    },
    async release(request) {
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Delete: {
                  TableName,
                  Key: adjustmentRequestKey(request.adjustmentId),
                  ConditionExpression: "#status = :applying",
                  ExpressionAttributeNames: { "#status": "status" },
                  ExpressionAttributeValues: { ":applying": { S: "applying" } },
                },
              },
              refund(request),
            ],
          }),
        );
      } catch (error) {
        // Another attempt at the same request released it (or applied it) first.
        if (error instanceof TransactionCanceledException) return;
        throw error;
      }
    },
    async reject(request, decision) {
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName,
                  Key: adjustmentRequestKey(request.adjustmentId),
                  UpdateExpression:
                    "SET #status = :rejected, decidedBy = :by, decidedAt = :at REMOVE GSI1PK, GSI1SK",
                  ConditionExpression: "#status = :pending",
                  ExpressionAttributeNames: { "#status": "status" },
                  ExpressionAttributeValues: {
                    ":rejected": { S: "rejected" },
                    ":pending": { S: "pending" },
                    ...marshall({ ":by": decision.by, ":at": decision.at }),
                  },
                },
              },
              refund(request),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
    },
    async listPending(limit) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: "GSI1PK = :pk",
          ExpressionAttributeValues: { ":pk": { S: PENDING_ADJUSTMENTS_PK } },
          Limit: limit,
        }),
      );
      if (Items.length === 0) return [];
      const keys = Items.map((item) => ({ PK: item.PK as AttributeValue, SK: item.SK as AttributeValue }));
      const items = await batchGetItems(client, TableName, keys);
      const byPk = new Map(items.map((item) => [item.PK?.S, fromItem(item)]));
      // The index is eventually consistent: keep only what is still pending, in the index's order.
      return keys
        .map((key) => byPk.get(key.PK.S))
        .filter((r): r is StoredAdjustment => r?.status === "pending");
    },
  };
}
