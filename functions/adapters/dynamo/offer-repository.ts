import {
  type AttributeValue,
  GetItemCommand,
  type TransactWriteItem,
  type Update,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { LedgerEntry } from "../../../domain/ledger/ledger-entry";
import { isOfferCode, type OfferInstance } from "../../../domain/offers/offer-instance";
import { shardOf } from "../../../domain/retention/due-buckets";
import { batchGetItems } from "./batch-get";
import { type CounterDelta, counterAction } from "./campaign-counters";
import type { TableAccess } from "./client";
import { OFFER_PREFIX, offerItemKey } from "./keys";
import { queryAll } from "./query-items";

// A member's offer instances: `MEMBER#<id> / OFFER#<code>`, one item each, so the STATE item stays bounded
// however many offers a member receives. An instance is written with the message claim that carries it, marked
// redeemed (or given back by a full refund) inside the purchase's (or refund's) own transaction, and aged out
// by TTL a while after its last valid day.

/** Kept this long after the last valid day, so a late refund or a support question still finds it. */
const RETAIN_AFTER_VALIDITY_DAYS = 90;
const DAY_SECONDS = 86_400;

type Redemption = NonNullable<OfferInstance["redemption"]>;

export function createOfferRepository(
  options: TableAccess & {
    /** Shards of the campaign counters (the due shards). */
    shards: number;
  },
) {
  const { client, tableName, shards } = options;

  /** The transaction item changing one instance's redemption, under the condition that keeps it exactly-once. */
  function redemptionUpdate(
    memberId: string,
    code: string,
    change: Pick<Update, "UpdateExpression" | "ConditionExpression" | "ExpressionAttributeValues">,
  ): TransactWriteItem {
    return { Update: { TableName: tableName, Key: offerItemKey(memberId, code), ...change } };
  }

  const redeemAction = (memberId: string, code: string, redemption: Redemption) =>
    redemptionUpdate(memberId, code, {
      UpdateExpression: "SET redemption = :redemption",
      ConditionExpression: "attribute_exists(PK) AND attribute_not_exists(redemption)",
      ExpressionAttributeValues: { ":redemption": { M: marshall(redemption) } },
    });

  const restoreAction = (memberId: string, code: string, purchaseSourceKey: string) =>
    redemptionUpdate(memberId, code, {
      UpdateExpression: "REMOVE redemption",
      ConditionExpression: "redemption.sourceKey = :purchase",
      ExpressionAttributeValues: { ":purchase": { S: purchaseSourceKey } },
    });

  const toInstance = (item: Record<string, AttributeValue>): OfferInstance => {
    const { offer, redemption } = unmarshall(item) as { offer: OfferInstance; redemption?: Redemption };
    return { ...offer, ...(redemption && { redemption }) };
  };

  async function listOffers(memberId: string): Promise<OfferInstance[]> {
    const items = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :offer)",
      ExpressionAttributeValues: { ":pk": offerItemKey(memberId, "").PK, ":offer": { S: OFFER_PREFIX } },
    });
    return items.map(toInstance).sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  }

  /** The Put of an instance (never over an existing code), kept RETAIN_AFTER_VALIDITY_DAYS past its last day. */
  function offerPut(instance: OfferInstance) {
    const { redemption, ...offer } = instance;
    const lastDay = Date.parse(`${instance.validUntil}T00:00:00Z`) / 1000 + DAY_SECONDS;
    return {
      TableName: tableName,
      Item: {
        ...offerItemKey(instance.memberId, instance.code),
        offer: { M: marshall(offer, { removeUndefinedValues: true }) },
        ...(redemption && { redemption: { M: marshall(redemption, { removeUndefinedValues: true }) } }),
        expiresAt: { N: String(lastDay + RETAIN_AFTER_VALIDITY_DAYS * DAY_SECONDS) },
      },
      ConditionExpression: "attribute_not_exists(PK)",
    };
  }

  return {
    /** The member's instance of `code` (normalised), strongly consistent; undefined for any other member. */
    async getOffer(memberId: string, code: string): Promise<OfferInstance | undefined> {
      if (!isOfferCode(code)) return undefined;
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: offerItemKey(memberId, code), ConsistentRead: true }),
      );
      return Item ? toInstance(Item) : undefined;
    },

    /** The member's instances still stored (TTL ages them out), newest first; one Query of their partition. */
    listOffers,

    /** Several codes of one member in one BatchGetItem (consistent); malformed codes are not looked up. */
    async getOffers(memberId: string, codes: readonly string[]): Promise<Map<string, OfferInstance>> {
      const keys = [...new Set(codes)].filter(isOfferCode).map((code) => offerItemKey(memberId, code));
      const items = await batchGetItems(client, tableName, keys, { consistentRead: true });
      return new Map(items.map(toInstance).map((instance) => [instance.code, instance]));
    },

    /** Put of a new instance (never over an existing code): part of the message claim's transaction. */
    issueAction: (instance: OfferInstance): TransactWriteItem => ({ Put: offerPut(instance) }),

    /**
     * Moves a merged duplicate's offer instances to the survivor, for the merge's transaction: each is put
     * under the survivor (same code, same redemption) and deleted from the duplicate on the condition that its
     * redemption did not change since it was read (a till racing the merge makes the merge retry).
     */
    async moveOffersActions(fromId: string, toId: string): Promise<TransactWriteItem[]> {
      const actions: TransactWriteItem[] = [];
      for (const instance of await listOffers(fromId)) {
        actions.push({ Put: offerPut({ ...instance, memberId: toId }) });
        actions.push({
          Delete: {
            TableName: tableName,
            Key: offerItemKey(fromId, instance.code),
            ConditionExpression: instance.redemption
              ? "redemption.sourceKey = :redeemedBy"
              : "attribute_exists(PK) AND attribute_not_exists(redemption)",
            ...(instance.redemption && {
              ExpressionAttributeValues: { ":redeemedBy": { S: instance.redemption.sourceKey } },
            }),
          },
        });
      }
      return actions;
    },

    /**
     * The writes a change's ledger entries imply, for the same transaction: a purchase marks the codes it used
     * redeemed (only if nobody did; the member's STATE version already orders their purchases, this holds even
     * without it) and counts them for their campaign; a full refund gives its codes back (only if that purchase
     * used them) and uncounts them. One counter update per trigger kind: a transaction may touch an item once.
     */
    offerWrites(memberId: string, entries: readonly LedgerEntry[]): TransactWriteItem[] {
      const actions: TransactWriteItem[] = [];
      const deltas = new Map<string, Required<Pick<CounterDelta, "redeemed" | "incentiveCostMinor">>>();
      const count = (kind: string, redeemed: number, costMinor: number) => {
        const delta = deltas.get(kind) ?? { redeemed: 0, incentiveCostMinor: 0 };
        delta.redeemed += redeemed;
        delta.incentiveCostMinor += costMinor;
        deltas.set(kind, delta);
      };
      for (const entry of entries) {
        const details = entry.details;
        if (details?.type === "purchase")
          for (const r of details.offers?.redeemed ?? []) {
            const redemption = {
              sourceKey: entry.sourceKey,
              orderId: details.orderId,
              redeemedAt: entry.occurredAt,
            };
            actions.push(redeemAction(memberId, r.code, redemption));
            count(r.trigger, 1, r.costMinor);
          }
        if (details?.type === "refund")
          for (const r of details.offersRestored ?? []) {
            actions.push(restoreAction(memberId, r.code, details.originalSourceKey));
            count(r.trigger, -1, -r.costMinor);
          }
      }
      for (const [kind, delta] of deltas) {
        const action = counterAction(tableName, { kind, shard: shardOf(memberId, shards) }, delta);
        if (action) actions.push(action);
      }
      return actions;
    },
  };
}

export type OfferRepository = ReturnType<typeof createOfferRepository>;
