import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fnv1a32, stableHash32 } from "../../../domain/retention/hash";
import { isInHoldout } from "../../../domain/retention/holdout";

const ids = Array.from({ length: 10_000 }, (_, i) => `member-${String(i).padStart(6, "0")}`);

describe("stable hash", () => {
  it("is FNV-1a over UTF-8 (published test vectors)", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
    expect(fnv1a32("é")).not.toBe(fnv1a32("e"));
  });

  it("spreads near-identical ids evenly over buckets", () => {
    const counts = new Array(16).fill(0);
    for (const id of ids) counts[stableHash32(id) % 16]++;
    for (const c of counts) expect(Math.abs(c - 625)).toBeLessThan(100);
  });
});

describe("holdout control group", () => {
  it.each([5, 10, 20, 33.3])("holds %s%% of 10,000 members within ±1.5 percentage points", (percent) => {
    const share = (ids.filter((id) => isInHoldout(id, percent, "holdout-v1")).length / ids.length) * 100;
    expect(Math.abs(share - percent)).toBeLessThanOrEqual(1.5);
  });

  it("is stable per member, nested in the percentage, and redrawn by a new salt", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 100 }), (id, percent) => {
        const inside = isInHoldout(id, percent, "s");
        expect(isInHoldout(id, percent, "s")).toBe(inside);
        if (inside) expect(isInHoldout(id, Math.min(100, percent + 1), "s")).toBe(true);
      }),
    );
    const a = ids.filter((id) => isInHoldout(id, 10, "v1"));
    const b = new Set(ids.filter((id) => isInHoldout(id, 10, "v2")));
    const overlap = a.filter((id) => b.has(id)).length / a.length;
    expect(overlap).toBeLessThan(0.2); // independent draws overlap ≈ 10%
    expect(isInHoldout("x", 0, "s")).toBe(false);
    expect(isInHoldout("x", 100, "s")).toBe(true);
    expect(() => isInHoldout("x", 101, "s")).toThrow(/percent: must be 0–100/);
  });
});
