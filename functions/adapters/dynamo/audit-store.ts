import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { addDays, utcDay } from "../../../domain/time";
import { batchGetItems } from "./batch-get";
import { expiresAfter } from "./item-expiry";
import { auditMemberIndexPk, auditPk, auditSk, DUE_INDEX } from "./keys";
import { untilProcessed } from "./until-processed";

// The audit trail of marketers' reads of member PII, of adjustments, and of what can hand a member's account to
// someone: link codes issued (by a marketer or a till) and identity links read or revoked (see TABLE-DESIGN.md
// "Audit trail").
// One partition per UTC day keeps a time-range query bounded; each entry about a member is also filed under
// that member in GSI1, so "who looked at member X" is one Query. Entries name who, when, what (route and ids)
// and from where — never the personal data itself — and expire after AUDIT_TTL_DAYS.

export type AuditAction =
  | "member.read"
  | "member.search"
  | "member.export"
  | "member.erasure"
  | "adjustment.request"
  | "adjustment.approve"
  | "adjustment.reject"
  | "member.merge"
  | "grant.request"
  | "grant.approve"
  | "grant.reject"
  | "link-code.issue"
  | "identity.read"
  | "identity.revoke";

export interface AuditEntry {
  /** Unique per entry: the request id, suffixed when one request writes several. */
  entryId: string;
  at: string;
  action: AuditAction;
  actor: { sub: string; name: string };
  /** Method and route template, e.g. "GET /members/{id}". */
  route: string;
  memberId?: string;
  adjustmentId?: string;
  grantId?: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  /** How the request ended ("ok", "pending", or the problem's slug); absent while it runs. */
  outcome?: string;
}

export interface AuditQuery {
  from: string;
  to: string;
  memberId?: string;
  limit: number;
  /** Where the previous page stopped (from `next`). */
  after?: AuditPosition;
}

/** A page's end: the last key read, and in the day-by-day walk the day it was read from. */
export interface AuditPosition {
  day?: string;
  /** Absent when the next page starts at the top of `day`. */
  key?: Record<string, string>;
}

export interface AuditStore {
  /** Writes every entry before resolving; throws when one could not be written. */
  record(entries: readonly AuditEntry[]): Promise<void>;
  setOutcome(entry: AuditEntry, outcome: string): Promise<void>;
  /** Entries from `from` to `to` (inclusive), newest first. */
  list(query: AuditQuery): Promise<{ entries: AuditEntry[]; next?: AuditPosition }>;
}

export const AUDIT_TTL_DAYS = 400;
const BATCH_WRITE_MAX = 25;
const WRITE_ATTEMPTS = 5;

const keyOf = (entry: Pick<AuditEntry, "at" | "entryId">) => ({
  PK: { S: auditPk(utcDay(entry.at)) },
  SK: { S: auditSk(entry.at, entry.entryId) },
});

function toItem(entry: AuditEntry): Record<string, AttributeValue> {
  const key = keyOf(entry);
  return {
    ...key,
    ...marshall(entry, { removeUndefinedValues: true }),
    expiresAt: expiresAfter(entry.at, AUDIT_TTL_DAYS),
    ...(entry.memberId !== undefined && {
      GSI1PK: { S: auditMemberIndexPk(entry.memberId) },
      GSI1SK: key.SK,
    }),
  };
}

function fromItem(item: Record<string, AttributeValue>): AuditEntry {
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, expiresAt: _ttl, ...entry } = unmarshall(item);
  return entry as AuditEntry;
}

const plainKey = (key: Record<string, AttributeValue>): Record<string, string> =>
  Object.fromEntries(Object.entries(key).map(([name, value]) => [name, value.S ?? ""]));
const attributeKey = (key: Record<string, string>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(key).map(([name, value]) => [name, { S: value }]));

export function createAuditStore(options: { client: DynamoDBClient; tableName: string }): AuditStore {
  const { client, tableName: TableName } = options;

  async function writeBatch(items: Record<string, AttributeValue>[]): Promise<void> {
    type Put = { PutRequest: { Item: Record<string, AttributeValue> } };
    await untilProcessed(
      items.map((Item): Put => ({ PutRequest: { Item } })),
      async (requests) => {
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [TableName]: [...requests] } }),
        );
        return (UnprocessedItems?.[TableName] ?? []).flatMap((r): Put[] =>
          r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
        );
      },
      { attempts: WRITE_ATTEMPTS, what: "audit trail BatchWriteItem" },
    );
  }

  async function byMember(query: AuditQuery & { memberId: string }) {
    const { Items = [], LastEvaluatedKey } = await client.send(
      new QueryCommand({
        TableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: "GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to",
        ExpressionAttributeValues: {
          ":pk": { S: auditMemberIndexPk(query.memberId) },
          ":from": { S: query.from },
          ":to": { S: `${query.to}#~` },
        },
        ScanIndexForward: false,
        Limit: query.limit,
        ...(query.after?.key && { ExclusiveStartKey: attributeKey(query.after.key) }),
      }),
    );
    const keys = Items.map((item) => ({ PK: item.PK as AttributeValue, SK: item.SK as AttributeValue }));
    const found = new Map<string, AuditEntry>();
    for (const item of await batchGetItems(client, TableName, keys))
      found.set(`${item.PK?.S}|${item.SK?.S}`, fromItem(item));
    const entries = keys.flatMap((key) => found.get(`${key.PK.S}|${key.SK.S}`) ?? []);
    return { entries, ...(LastEvaluatedKey && { next: { key: plainKey(LastEvaluatedKey) } }) };
  }

  /** Day partitions from `to`'s day back to `from`'s, each newest first, until the page is full. */
  async function byDay(query: AuditQuery) {
    const entries: AuditEntry[] = [];
    const firstDay = utcDay(query.from);
    let day = query.after?.day ?? utcDay(query.to);
    let startKey = query.after?.key;
    while (day >= firstDay) {
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
          ExpressionAttributeValues: {
            ":pk": { S: auditPk(day) },
            ":from": { S: query.from },
            ":to": { S: `${query.to}#~` },
          },
          ScanIndexForward: false,
          Limit: query.limit - entries.length,
          ...(startKey && { ExclusiveStartKey: attributeKey(startKey) }),
        }),
      );
      entries.push(...Items.map(fromItem));
      if (LastEvaluatedKey) {
        if (entries.length >= query.limit) return { entries, next: { day, key: plainKey(LastEvaluatedKey) } };
        startKey = plainKey(LastEvaluatedKey);
        continue;
      }
      startKey = undefined;
      day = addDays(day, -1);
      if (entries.length >= query.limit && day >= firstDay) return { entries, next: { day } };
    }
    return { entries };
  }

  return {
    async record(entries) {
      for (let i = 0; i < entries.length; i += BATCH_WRITE_MAX) {
        await writeBatch(entries.slice(i, i + BATCH_WRITE_MAX).map(toItem));
      }
    },
    async setOutcome(entry, outcome) {
      await client.send(
        new UpdateItemCommand({
          TableName,
          Key: keyOf(entry),
          UpdateExpression: "SET outcome = :outcome",
          ExpressionAttributeValues: { ":outcome": { S: outcome } },
        }),
      );
    },
    list(query) {
      return query.memberId === undefined ? byDay(query) : byMember({ ...query, memberId: query.memberId });
    },
  };
}
