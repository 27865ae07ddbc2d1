import { createHash } from "node:crypto";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { itemSize } from "../../../functions/adapters/dynamo/item-size";

/** An item of exactly `bytes` bytes by DynamoDB's size rules, padded with a string attribute. */
export function itemOfSize(pk: string, sk: string, bytes: number): Record<string, AttributeValue> {
  const base = itemSize({ PK: { S: pk }, SK: { S: sk }, pad: { S: "" } });
  if (bytes < base) throw new Error(`an item keyed ${pk}/${sk} needs at least ${base} bytes`);
  const item = { PK: { S: pk }, SK: { S: sk }, pad: { S: "x".repeat(bytes - base) } };
  return item;
}

/**
 * A JSON object whose encoded `state` (state-codec.ts) takes roughly `bytes` bytes: the padding is
 * hash-chain text that compression cannot shrink below ~3/4 of its length, so it is sized up by 4/3.
 */
export function paddedState(bytes: number): Record<string, unknown> {
  let padding = "";
  for (let block = 0; padding.length < Math.ceil((bytes * 4) / 3); block += 1) {
    padding += createHash("sha256").update(`pad#${block}`).digest("base64");
  }
  return { points: 0, padding: padding.slice(0, Math.ceil((bytes * 4) / 3)) };
}
