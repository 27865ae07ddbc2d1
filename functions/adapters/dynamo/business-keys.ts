import {
  type AttributeValue,
  ConditionalCheckFailedException,
  GetItemCommand,
  type Put,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { batchGetItems } from "./batch-get";
import type { TableAccess } from "./client";
import { BUSINESS_KEY_SK, businessKeyPk } from "./keys";

// The business-key record makes "exactly once" hold for ever and across members: one item per applied
// key (purchase: source + order id; refund: source + refund id; interaction: source + interaction id;
// HTTP: member + Idempotency-Key), written in the same transaction as the change it guards. A member's
// ledger cannot be the guard on its own: its sort key carries occurredAt, which producers re-stamp, and
// a condition only sees the member's own partition.

/** What was applied under a business key. */
export interface AppliedKey {
  memberId: string;
  /** Fingerprint of the payload (keys.ts `payloadFingerprint`). */
  payload: string;
  appliedAt: string;
  /** Sort key of the first ledger entry the change wrote; absent when it had no effect. */
  ledgerSk?: string;
  /** The first answer, for APIs that replay it to a retried request. */
  answer?: Record<string, unknown>;
  /** Transactions the change was written in, when more than one (a migrated member with many lots). */
  parts?: number;
}

export const businessKey = (sourceKey: string): Record<string, AttributeValue> => ({
  PK: { S: businessKeyPk(sourceKey) },
  SK: { S: BUSINESS_KEY_SK },
});

/** Put of the record under attribute_not_exists; on failure DynamoDB returns the record that was there. */
export function businessKeyPut(tableName: string, sourceKey: string, applied: AppliedKey): Put {
  const { answer, ...plain } = applied;
  return {
    TableName: tableName,
    Item: {
      ...businessKey(sourceKey),
      ...marshall(plain, { removeUndefinedValues: true }),
      ...(answer && { answer: { M: marshall(answer, { removeUndefinedValues: true }) } }),
    },
    ConditionExpression: "attribute_not_exists(PK)",
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  };
}

export function toAppliedKey(item: Record<string, AttributeValue>): AppliedKey {
  const { PK: _pk, SK: _sk, answer, ...plain } = item;
  return {
    ...(unmarshall(plain) as Omit<AppliedKey, "answer">),
    ...(answer?.M && { answer: unmarshall(answer.M) }),
  };
}

/** The same key for the same member and payload is a duplicate; anything else is a conflict. */
export const isSameApplication = (applied: AppliedKey, memberId: string, payload: string): boolean =>
  applied.memberId === memberId && applied.payload === payload;

/** What a key that was already stored means for this application of it. */
export type AppliedBefore =
  /** Applied before with the same payload; `applied` when the record was read (not on a ring hit). */
  | { outcome: "duplicate"; applied?: AppliedKey }
  /** The key was applied for another member or with another payload. */
  | { outcome: "key-conflict"; applied: AppliedKey };

/** The record of an applied business key (strongly consistent), or undefined if never applied. */
async function getAppliedKey(access: TableAccess, sourceKey: string): Promise<AppliedKey | undefined> {
  const { Item } = await access.client.send(
    new GetItemCommand({ TableName: access.tableName, Key: businessKey(sourceKey), ConsistentRead: true }),
  );
  return Item ? toAppliedKey(Item) : undefined;
}

/** A key that exists (`existing` when DynamoDB returned it): same member and payload is a duplicate. */
async function compareApplied(
  access: TableAccess,
  input: { memberId: string; sourceKey: string; payload: string },
  existing: Record<string, AttributeValue> | undefined,
): Promise<AppliedBefore> {
  const applied = existing ? toAppliedKey(existing) : await getAppliedKey(access, input.sourceKey);
  if (!applied) throw new Error(`business key ${input.sourceKey} was reported applied but is not stored`);
  return isSameApplication(applied, input.memberId, input.payload)
    ? { outcome: "duplicate", applied }
    : { outcome: "key-conflict", applied };
}

/** Reads of the business-key records and the record of a key whose event had no effect. */
export function createBusinessKeyStore(options: TableAccess & { clock: () => Date }) {
  const { client, tableName, clock } = options;
  return {
    /** The record of an applied business key (strongly consistent), or undefined if never applied. */
    getAppliedKey: (sourceKey: string) => getAppliedKey(options, sourceKey),
    /** Duplicate or key conflict, for a key found stored (the commit's and recordNoEffect's answer). */
    compareApplied: (
      input: Parameters<typeof compareApplied>[1],
      existing?: Record<string, AttributeValue>,
    ) => compareApplied(options, input, existing),

    /**
     * The records of several business keys by key, eventually consistent (BatchGetItem): for selecting work,
     * like getMembers; the commit's condition on the record stays the guarantee. Keys never applied are absent.
     */
    async getAppliedKeys(sourceKeys: readonly string[]): Promise<Map<string, AppliedKey>> {
      const byPk = new Map(sourceKeys.map((key) => [businessKey(key).PK?.S, key]));
      const items = await batchGetItems(client, tableName, sourceKeys.map(businessKey));
      const found = new Map<string, AppliedKey>();
      for (const item of items) {
        const key = byPk.get(item.PK?.S);
        if (key !== undefined) found.set(key, toAppliedKey(item));
      }
      return found;
    },

    /**
     * Records a business key whose event had no effect (e.g. a capped interaction), so a re-send with
     * another occurredAt cannot have one later. One conditional Put; nothing else is written.
     */
    async recordNoEffect(input: {
      memberId: string;
      sourceKey: string;
      payload: string;
    }): Promise<{ outcome: "unchanged" } | AppliedBefore> {
      try {
        await client.send(
          new PutItemCommand(
            businessKeyPut(tableName, input.sourceKey, {
              memberId: input.memberId,
              payload: input.payload,
              appliedAt: clock().toISOString(),
            }),
          ),
        );
        return { outcome: "unchanged" };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return compareApplied(options, input, error.Item);
      }
    },
  };
}
