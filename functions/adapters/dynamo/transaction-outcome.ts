import { type AttributeValue, TransactionCanceledException } from "@aws-sdk/client-dynamodb";

export type Cancellation =
  /** The business-key record exists: `existing` is that record when DynamoDB returned it. */
  | { kind: "key-exists"; existing?: Record<string, AttributeValue> }
  | { kind: "duplicate" }
  | { kind: "conflict" };

/**
 * Maps a cancelled member commit to what happened. `stateIndex` is the position of the STATE write,
 * `keyIndex` that of the business-key record; every other action is a ledger put under
 * attribute_not_exists.
 * - the business-key condition failed → the key was applied before (the caller compares payloads);
 * - a ledger condition failed → the business fact is already applied: "duplicate";
 * - only the STATE version check failed, or another transaction held an item → "conflict" (reload, retry);
 * - anything else (throttling inside the transaction, validation) → undefined: the caller rethrows.
 */
export function classifyCancellation(
  error: unknown,
  positions: { stateIndex: number; keyIndex: number },
): Cancellation | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  const codes = reasons.map((reason) => reason.Code ?? "None");
  if (codes[positions.keyIndex] === "ConditionalCheckFailed") {
    const existing = reasons[positions.keyIndex]?.Item;
    return existing ? { kind: "key-exists", existing } : { kind: "key-exists" };
  }
  const { stateIndex } = positions;
  if (codes.some((code, index) => index !== stateIndex && code === "ConditionalCheckFailed"))
    return { kind: "duplicate" };
  if (codes[stateIndex] === "ConditionalCheckFailed" || codes.includes("TransactionConflict"))
    return { kind: "conflict" };
  return undefined;
}
