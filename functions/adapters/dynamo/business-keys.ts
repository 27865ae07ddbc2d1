import type { AttributeValue, Put } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
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
