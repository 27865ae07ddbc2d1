import { type AttributeValue, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";

// Shared pieces of conditional single-item writes.

/** Awaits a conditional write: true when written, false when its condition failed; other errors are thrown. */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * The parts of an UpdateItem that moves a request's `status` from one of `from` to `to` (grants, adjustment
 * requests), recording who decided and when and setting the string attributes of `set` that are defined.
 * Callers add their own SETs, REMOVEs, conditions and values.
 */
export function statusTransition(change: {
  from: readonly string[];
  to: string;
  decision?: { by: unknown; at: string } | null;
  set?: Record<string, string | undefined>;
}): {
  sets: string[];
  condition: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
} {
  const names: Record<string, string> = { "#status": "status" };
  const values: Record<string, AttributeValue> = { ":to": { S: change.to } };
  change.from.forEach((status, i) => {
    values[`:from${i}`] = { S: status };
  });
  const sets = ["#status = :to"];
  if (change.decision) {
    sets.push("decidedBy = :by", "decidedAt = :at");
    Object.assign(values, marshall({ ":by": change.decision.by, ":at": change.decision.at }));
  }
  for (const [name, value] of Object.entries(change.set ?? {})) {
    if (value === undefined) continue;
    sets.push(`#${name} = :${name}`);
    names[`#${name}`] = name;
    values[`:${name}`] = { S: value };
  }
  const condition = `#status IN (${change.from.map((_, i) => `:from${i}`).join(", ")})`;
  return { sets, condition, names, values };
}
