import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import {
  itemSize,
  numberSize,
  readUnitsFor,
  valueSize,
  writeUnitsFor,
} from "../../../functions/adapters/dynamo/item-size";

// Rules from the Developer Guide page "DynamoDB item sizes and formats" and the read/write
// capacity pages ("reading a 3,500-byte item…", "a 10 KB item rounds up to 12 KB").

describe("item size", () => {
  it("counts strings as UTF-8 bytes of name plus value", () => {
    expect(itemSize({ id: { S: "abc" } })).toBe(2 + 3);
    expect(itemSize({ név: { S: "ü€" } })).toBe(4 + 5);
  });

  it("counts numbers as one byte per two significant digits plus one, trimming zeros", () => {
    expect(numberSize("123")).toBe(3);
    expect(numberSize("1234")).toBe(3);
    expect(numberSize("0.0012300")).toBe(3);
    expect(numberSize("-1.5e10")).toBe(2);
    expect(numberSize("12345678901234567890123456789012345678")).toBe(20);
  });

  it("counts binaries by raw length and null or boolean as one byte", () => {
    expect(valueSize({ B: new Uint8Array(10) })).toBe(10);
    expect(itemSize({ ok: { BOOL: true }, no: { NULL: true } })).toBe(2 + 1 + 2 + 1);
  });

  it("adds 3 bytes per list or map and 1 byte per element", () => {
    expect(itemSize({ l: { L: [] } })).toBe(1 + 3);
    expect(itemSize({ l: { L: [{ S: "ab" }, { N: "7" }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { M: { k: { S: "v" } } } })).toBe(1 + 3 + (1 + 1 + 1));
  });

  it("sums set members", () => {
    expect(valueSize({ SS: ["a", "bc"] })).toBe(3);
    expect(valueSize({ NS: ["1", "22"] })).toBe(4);
  });

  it("matches the widely used worked example of an 8-attribute item (141 bytes)", () => {
    const item = marshall({
      itemType: "SLOT",
      id: "abc1231",
      hostName: "Harry Mason",
      timeSlot: "February 23, 1999",
      slotStatus: "OPEN",
      createdAt: "February 1, 1999",
      updatedAt: "February 1, 1999",
      expiresAt: 2099,
    });
    expect(itemSize(item)).toBe(141);
  });
});

describe("capacity units", () => {
  it("rounds writes up per started KB", () => {
    expect(writeUnitsFor(1)).toBe(1);
    expect(writeUnitsFor(1024)).toBe(1);
    expect(writeUnitsFor(1025)).toBe(2);
    expect(writeUnitsFor(1536)).toBe(2);
  });

  it("rounds reads up per started 4 KB", () => {
    expect(readUnitsFor(0)).toBe(1);
    expect(readUnitsFor(3500)).toBe(1);
    expect(readUnitsFor(10 * 1024)).toBe(3);
  });
});
