import type { AttributeValue, TransactWriteItem } from "@aws-sdk/client-dynamodb";

// Numeric counters kept by ADD inside a member's transaction (campaign and partner counters): ADD is
// commutative, so concurrent transactions never conflict on the values, only on the item.

/** An ADD of the non-zero `deltas` to the item at `key`; undefined when every delta is zero or absent. */
export function addCounters(input: {
  tableName: string;
  key: Record<string, AttributeValue>;
  deltas: Readonly<Record<string, number | undefined>>;
}): TransactWriteItem | undefined {
  const fields = Object.entries(input.deltas).filter(
    (field): field is [string, number] => field[1] !== undefined && field[1] !== 0,
  );
  if (fields.length === 0) return undefined;
  return {
    Update: {
      TableName: input.tableName,
      Key: input.key,
      UpdateExpression: `ADD ${fields.map(([name]) => `#${name} :${name}`).join(", ")}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map(([name]) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(
        fields.map(([name, value]) => [`:${name}`, { N: String(value) }]),
      ),
    },
  };
}
