import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inboundEvents } from "../../../events/catalog";
import { parseInbound } from "../../../events/envelope";
import { boundedJson } from "../../../functions/adapters/bus/bounded-json";
import { PARKED_EVENT_MAX_BYTES } from "../../../functions/adapters/bus/rejected-events";
import { loadSample } from "../events/load-samples";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("boundedJson", () => {
  it("keeps a small value whole, with its size and hash", () => {
    const value = { detail: { memberId: "m-1", note: "é" } };
    const json = JSON.stringify(value);
    expect(boundedJson(value, 1024)).toEqual({
      json,
      bytes: Buffer.byteLength(json),
      sha256: sha256(json),
      truncated: false,
    });
  });

  it("cuts a large value to maxBytes, keeping the size and hash of the whole", () => {
    const value = { detail: { blob: "x".repeat(210_000) } };
    const json = JSON.stringify(value);
    const bounded = boundedJson(value, 1000);
    expect(bounded.truncated).toBe(true);
    expect(bounded.json).toBe(json.slice(0, 1000));
    expect(bounded.bytes).toBe(json.length);
    expect(bounded.sha256).toBe(sha256(json));
  });

  it("never splits a character and never exceeds maxBytes (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 400 }),
        fc.integer({ min: 4, max: 600 }),
        (text, max) => {
          const bounded = boundedJson({ text }, max);
          const json = JSON.stringify({ text });
          expect(Buffer.byteLength(bounded.json)).toBeLessThanOrEqual(max);
          expect(json.startsWith(bounded.json)).toBe(true);
          expect(bounded.json.includes("\uFFFD")).toBe(json.includes("\uFFFD"));
          expect(bounded.truncated).toBe(Buffer.byteLength(json) > max);
          // A cut never lands inside a code point: at most 3 bytes short of the limit.
          if (bounded.truncated) expect(Buffer.byteLength(bounded.json)).toBeGreaterThan(max - 4);
        },
      ),
      { numRuns: 500, seed: 5 },
    );
  });

  it("stands undefined in as null", () => {
    expect(boundedJson(undefined, 100)).toMatchObject({ json: "null", bytes: 4, truncated: false });
  });
});

describe("PARKED_EVENT_MAX_BYTES", () => {
  it("keeps the largest purchase the contract accepts whole, so any valid-shaped event stays replayable", () => {
    const sample = loadSample(inboundEvents.purchaseCompleted);
    const id = (n: number) => `${"S".repeat(60)}${String(n).padStart(4, "0")}`;
    const lines = Array.from({ length: 500 }, (_, n) => ({
      sku: id(n),
      category: id(n),
      quantity: 1,
      unitPrice: 999_999_999_999,
    }));
    const total = lines.length * 999_999_999_999;
    const largest = {
      ...sample,
      detail: { ...sample.detail, orderId: "O".repeat(128), lines, discountTotal: 0, total },
    };
    expect(parseInbound(largest).ok).toBe(true);
    expect(boundedJson(largest, PARKED_EVENT_MAX_BYTES).truncated).toBe(false);
  });
});
