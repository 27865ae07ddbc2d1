import {
  type AttributeValue,
  GetItemCommand,
  QueryCommand,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { TableAccess } from "./client";
import { assertLedgerSk, LEDGER_PREFIX, ledgerSortKey, memberPk, utcIso } from "./keys";
import { queryItems } from "./query-items";

// A member's ledger: the append-only Puts of entries (written in member-commit.ts's transaction and by the
// writers that build their own) and its reads: one entry, an order's entries, and pages newest first.
// Entries are opaque JSON here; the domain owns their shape.

type Json = Record<string, unknown>;

/** What a ledger entry must expose for keying; everything else is stored as is. */
export interface LedgerEntryKeys {
  entryId: string;
  occurredAt: string;
}

export interface OutboundEvent {
  type: string;
  detail: unknown;
}

export interface LedgerRecord<E> {
  sk: string;
  entry: E;
}

export interface LedgerPage<E> {
  records: LedgerRecord<E>[];
  /** Pass back to get the next (older) page; absent on the last page. Sign it before exposing it. */
  cursor?: string;
}

/** A purchase's earn entry and the reversals of it, found by `findOrderEntries`. */
export interface OrderEntries<E> {
  anchor?: LedgerRecord<E>;
  related: LedgerRecord<E>[];
}

const ORDER_SEARCH_PAGES = [20, 100];
const MAX_PAGE = 100;

const toRecord = <E>(item: Record<string, AttributeValue>): LedgerRecord<E> => ({
  sk: item.SK?.S ?? "",
  entry: unmarshall(item.entry?.M ?? {}) as E,
});

/**
 * Append-only Puts of a change's ledger entries as transaction actions; the outbound events, which the stream
 * consumer publishes once the change is durable, are stored on the first entry.
 */
export function ledgerPutActions(input: {
  tableName: string;
  memberId: string;
  entries: readonly LedgerEntryKeys[];
  outbound?: readonly OutboundEvent[];
}): TransactWriteItem[] {
  return input.entries.map((entry, index) => {
    const item: Record<string, AttributeValue> = {
      PK: { S: memberPk(input.memberId) },
      SK: { S: ledgerSortKey(entry) },
      entry: { M: marshall(entry, { removeUndefinedValues: true }) },
    };
    const outbound = index === 0 ? (input.outbound ?? []) : [];
    if (outbound.length > 0)
      item.outbound = {
        L: outbound.map((event) => ({ M: marshall(event, { removeUndefinedValues: true }) })),
      };
    // Append-only: an existing key means this business fact was already applied.
    return {
      Put: { TableName: input.tableName, Item: item, ConditionExpression: "attribute_not_exists(PK)" },
    };
  });
}

/** One strongly consistent GetItem; used e.g. to find the earn entry a refund reverses. */
async function getLedgerEntry<E>(
  { client, tableName }: TableAccess,
  memberId: string,
  sk: string,
): Promise<LedgerRecord<E> | undefined> {
  assertLedgerSk(sk);
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { PK: { S: memberPk(memberId) }, SK: { S: sk } },
      ConsistentRead: true,
    }),
  );
  return Item ? toRecord<E>(Item) : undefined;
}

/**
 * Finds the entry `anchorEntryId` and the entries whose id starts with `relatedPrefix` above it
 * (e.g. a purchase's earn entry and its reversals). The ledger SK embeds the purchase time, which
 * a refund does not know, so this walks the ledger newest-first — strongly consistent, pages of
 * 20 then 100 — and stops at the anchor or at `notBefore`. Cost: every entry written since the
 * anchor is read (filters don't reduce billing). Callers keep related entries above the anchor.
 */
async function findOrderEntries<E>(
  { client, tableName }: TableAccess,
  memberId: string,
  search: { anchorEntryId: string; relatedPrefix: string; notBefore: string },
): Promise<OrderEntries<E>> {
  const related: LedgerRecord<E>[] = [];
  const items = queryItems(
    client,
    {
      TableName: tableName,
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
      // Trims the response only: billing counts every item the key condition read.
      FilterExpression: "#entry.#id = :anchor OR begins_with(#entry.#id, :related)",
      ExpressionAttributeNames: { "#entry": "entry", "#id": "entryId" },
      ExpressionAttributeValues: {
        ":pk": { S: memberPk(memberId) },
        ":from": { S: `${LEDGER_PREFIX}${utcIso(search.notBefore, "notBefore")}` },
        ":to": { S: `${LEDGER_PREFIX}~` },
        ":anchor": { S: search.anchorEntryId },
        ":related": { S: search.relatedPrefix },
      },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    { pageLimit: (page) => ORDER_SEARCH_PAGES[Math.min(page, ORDER_SEARCH_PAGES.length - 1)] as number },
  );
  for await (const item of items) {
    const record = toRecord<E>(item);
    const entryId = (record.entry as { entryId?: string }).entryId ?? "";
    if (entryId === search.anchorEntryId) return { anchor: record, related };
    if (entryId.startsWith(search.relatedPrefix)) related.push(record);
  }
  return { related };
}

/** Newest first, one eventually consistent Query per page. */
async function queryLedger<E>(
  { client, tableName }: TableAccess,
  memberId: string,
  page: { limit?: number; cursor?: string },
): Promise<LedgerPage<E>> {
  const limit = page.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new Error(`limit must be an integer from 1 to ${MAX_PAGE}, got ${limit}`);
  }
  if (page.cursor !== undefined) assertLedgerSk(page.cursor);
  const pk = memberPk(memberId);
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :ledger)",
      ExpressionAttributeValues: { ":pk": { S: pk }, ":ledger": { S: LEDGER_PREFIX } },
      ScanIndexForward: false,
      Limit: limit,
      ...(page.cursor ? { ExclusiveStartKey: { PK: { S: pk }, SK: { S: page.cursor } } } : {}),
    }),
  );
  const records = (result.Items ?? []).map((item) => toRecord<E>(item));
  const cursor = result.LastEvaluatedKey?.SK?.S;
  return cursor ? { records, cursor } : { records };
}

export function createLedgerStore(access: TableAccess) {
  return {
    /** Append-only Puts of ledger entries as transaction actions (outbound events on the first one). */
    ledgerPutActions: (input: Omit<Parameters<typeof ledgerPutActions>[0], "tableName">) =>
      ledgerPutActions({ tableName: access.tableName, ...input }),
    /** One entry by its sort key (strongly consistent). */
    getLedgerEntry: <E = Json>(memberId: string, sk: string) => getLedgerEntry<E>(access, memberId, sk),
    /** A purchase's earn entry and its reversals, walking the ledger newest first. */
    findOrderEntries: <E = Json>(memberId: string, search: Parameters<typeof findOrderEntries>[2]) =>
      findOrderEntries<E>(access, memberId, search),
    /** One page of the ledger, newest first. */
    queryLedger: <E = Json>(memberId: string, page: { limit?: number; cursor?: string } = {}) =>
      queryLedger<E>(access, memberId, page),
  };
}
