import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/**
 * Maps a cancelled member commit to its outcome. `stateIndex` is the position of the STATE write;
 * every other action is a ledger put conditioned on attribute_not_exists.
 * - a ledger condition failed → the business fact is already applied: "duplicate";
 * - only the STATE version check failed, or another transaction held an item → "conflict" (reload, retry);
 * - anything else (throttling inside the transaction, validation) → undefined: the caller rethrows.
 */
export function classifyCancellation(
  error: unknown,
  stateIndex: number,
): "duplicate" | "conflict" | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
  if (codes.some((code, index) => index !== stateIndex && code === "ConditionalCheckFailed"))
    return "duplicate";
  if (codes[stateIndex] === "ConditionalCheckFailed" || codes.includes("TransactionConflict"))
    return "conflict";
  return undefined;
}
