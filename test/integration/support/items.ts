import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { itemSize } from "../../../functions/adapters/dynamo/item-size";

/** An item of exactly `bytes` bytes by DynamoDB's size rules, padded with a string attribute. */
export function itemOfSize(pk: string, sk: string, bytes: number): Record<string, AttributeValue> {
  const base = itemSize({ PK: { S: pk }, SK: { S: sk }, pad: { S: "" } });
  if (bytes < base) throw new Error(`an item keyed ${pk}/${sk} needs at least ${base} bytes`);
  const item = { PK: { S: pk }, SK: { S: sk }, pad: { S: "x".repeat(bytes - base) } };
  return item;
}

/** A JSON object whose map attribute `state` makes a STATE item of roughly `bytes` bytes. */
export function paddedState(bytes: number): Record<string, unknown> {
  return { points: 0, padding: "x".repeat(bytes) };
}
