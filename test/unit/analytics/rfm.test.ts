import { describe, expect, it } from "vitest";
import {
  defaultRfmConfig,
  quintileScores,
  rfmConfigSchema,
  rfmSegments,
} from "../../../domain/analytics/rfm";

describe("quintileScores", () => {
  it("splits distinct values into five equal groups", () => {
    expect([...quintileScores([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])]).toEqual([5, 1, 5, 1, 4, 2, 4, 2, 3, 3]);
  });

  it("scores low values best when lower is better (recency)", () => {
    expect([...quintileScores([1, 2, 3, 4, 5], false)]).toEqual([5, 4, 3, 2, 1]);
  });

  it("gives tied values one score, placed by their mid-rank", () => {
    // Six of ten members share the lowest value: mid-rank percentile 0.3 → score 2.
    const scores = quintileScores([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]);
    expect([...scores]).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
    expect([...quintileScores([7, 7, 7])]).toEqual([3, 3, 3]);
  });

  it("rejects NaN", () => {
    expect(() => quintileScores([1, Number.NaN])).toThrow(/value 1 is not a number/);
  });
});

describe("rfmSegments", () => {
  it("names every one of the 125 score cells with the default map", () => {
    const cells = 125;
    const recency: number[] = [];
    const frequency: number[] = [];
    const monetary: number[] = [];
    // One member per cell, built so each dimension's scores come out as the cell's digits.
    for (let cell = 0; cell < cells; cell++) {
      recency.push(5 - Math.floor(cell / 25));
      frequency.push(Math.floor(cell / 5) % 5);
      monetary.push(cell % 5);
    }
    const result = rfmSegments({ recency, frequency, monetary });
    const fallback = result.segmentNames.length - 1;
    for (let cell = 0; cell < cells; cell++) expect(result.segment[cell]).not.toBe(fallback);
  });

  it("puts recent frequent members in champions and long-gone one-timers in lost", () => {
    const result = rfmSegments({
      recency: [1, 2, 3, 4, 50, 60, 70, 80, 90, 100],
      frequency: [9, 8, 7, 6, 1, 1, 1, 1, 1, 1],
      monetary: [500, 400, 300, 200, 10, 10, 10, 10, 10, 10],
    });
    const name = (i: number): string => result.segmentNames[result.segment[i] as number] as string;
    expect(name(0)).toBe("champions");
    expect(name(9)).toBe("lost");
    expect([...result.recency.slice(0, 2)]).toEqual([5, 5]);
    expect(result.frequency[9]).toBe(2);
  });

  it("follows a custom map in rule order and falls back for uncovered cells", () => {
    const config = {
      segments: [{ name: "big spenders", monetary: [5, 5] as [number, number] }],
      fallback: "everyone else",
    };
    const result = rfmSegments(
      { recency: [1, 1, 1, 1, 1], frequency: [1, 1, 1, 1, 1], monetary: [1, 2, 3, 4, 5] },
      config,
    );
    expect(result.segmentNames).toEqual(["big spenders", "everyone else"]);
    expect([...result.segment]).toEqual([1, 1, 1, 1, 0]);
  });

  it("rejects a malformed map, naming the field", () => {
    const reversed = rfmConfigSchema.safeParse({ segments: [{ name: "x", recency: [4, 2] }] });
    expect(reversed.success).toBe(false);
    expect(reversed.error?.issues[0]?.path).toEqual(["segments", 0, "recency"]);
    const outOfRange = rfmConfigSchema.safeParse({ segments: [{ name: "x", frequency: [0, 6] }] });
    expect(outOfRange.error?.issues.map((issue) => issue.path.join("."))).toContain("segments.0.frequency.0");
    expect(() => rfmSegments({ recency: [1], frequency: [1], monetary: [1] }, { segments: [] })).toThrow();
  });

  it("defaults name each segment once", () => {
    const names = defaultRfmConfig.segments.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(["champions", "loyal", "potential", "at risk", "hibernating", "lost"]),
    );
  });
});
