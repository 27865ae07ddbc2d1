import { type AttributeValue, TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/** Items one TransactWriteItems may hold (DynamoDB's limit). */
export const MAX_TRANSACTION_ITEMS = 100;

export type Cancellation =
  /** The business-key record exists: `existing` is that record when DynamoDB returned it. */
  | { kind: "key-exists"; existing?: Record<string, AttributeValue> }
  | { kind: "duplicate" }
  /** Once-for-ever keys that exist already (a challenge completed before): their positions among `onceKeys`. */
  | { kind: "once-taken"; taken: number[] }
  | { kind: "conflict" };

/**
 * Maps a cancelled member commit to what happened. `stateIndex` is the position of the STATE write,
 * `keyIndex` that of the business-key record; the actions before `extraFrom` (default: all) are ledger puts
 * under attribute_not_exists, those from it on writes to the member's other items (offer codes, counters),
 * among them `onceKeys` (`count` puts from `from` on) of facts true once per member for ever.
 * - the business-key condition failed → the key was applied before (the caller compares payloads);
 * - a ledger condition failed → the business fact is already applied: "duplicate";
 * - a once key's condition failed → "once-taken": the caller decides again knowing those facts hold;
 * - the STATE version check or an extra action's condition failed, or another transaction held an item →
 *   "conflict" (reload, decide again, retry);
 * - anything else (throttling inside the transaction, validation) → undefined: the caller rethrows.
 */
export function classifyCancellation(
  error: unknown,
  positions: {
    stateIndex: number;
    keyIndex: number;
    extraFrom?: number;
    onceKeys?: { from: number; count: number };
  },
): Cancellation | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  const codes = reasons.map((reason) => reason.Code ?? "None");
  if (codes[positions.keyIndex] === "ConditionalCheckFailed") {
    const existing = reasons[positions.keyIndex]?.Item;
    return existing ? { kind: "key-exists", existing } : { kind: "key-exists" };
  }
  const { stateIndex } = positions;
  const extraFrom = positions.extraFrom ?? codes.length;
  const failed = (code: string) => code === "ConditionalCheckFailed";
  if (codes.some((code, index) => index !== stateIndex && index < extraFrom && failed(code)))
    return { kind: "duplicate" };
  const once = positions.onceKeys ?? { from: 0, count: 0 };
  const taken = codes
    .slice(once.from, once.from + once.count)
    .flatMap((code, index) => (failed(code) ? [index] : []));
  if (taken.length > 0) return { kind: "once-taken", taken };
  if (
    failed(codes[stateIndex] ?? "") ||
    codes.slice(extraFrom).some(failed) ||
    codes.includes("TransactionConflict")
  )
    return { kind: "conflict" };
  return undefined;
}
