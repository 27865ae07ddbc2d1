import type { AttributeValue } from "@aws-sdk/client-dynamodb";

// DynamoDB's documented size rules ("DynamoDB item sizes and formats", Developer Guide):
// strings are UTF-8 bytes, binaries raw bytes, numbers ~1 byte per 2 significant digits + 1,
// null/bool 1 byte, lists/maps 3 bytes + 1 byte per element. Names count at every level.

const WRITE_UNIT_BYTES = 1024;
const READ_UNIT_BYTES = 4096;
const CONTAINER_OVERHEAD = 3;
const ELEMENT_OVERHEAD = 1;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** Approximate stored size of a number: leading/trailing zeros, sign, point and exponent don't count. */
export function numberSize(text: string): number {
  const mantissa = text.trim().replace(/^[+-]/, "").split(/e/i)[0] ?? "";
  const digits = mantissa.replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size of an attribute value without its name. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8Bytes(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  if (value.L !== undefined) {
    return value.L.reduce((sum, element) => sum + ELEMENT_OVERHEAD + valueSize(element), CONTAINER_OVERHEAD);
  }
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce(
      (sum, [name, element]) => sum + ELEMENT_OVERHEAD + utf8Bytes(name) + valueSize(element),
      CONTAINER_OVERHEAD,
    );
  }
  throw new Error(`Unsupported attribute value type: ${Object.keys(value).join(",") || "empty"}`);
}

/** Size of an item (or of any attribute map): sum of attribute name bytes + value sizes. */
export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8Bytes(name) + valueSize(value), 0);
}

/** Write units for one item write: 1 per started KB (minimum 1). */
export function writeUnitsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
}

/** Strongly consistent read units: 1 per started 4 KB (minimum 1). Halve for eventually consistent reads. */
export function readUnitsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
}
