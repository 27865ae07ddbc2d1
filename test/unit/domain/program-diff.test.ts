import { describe, expect, it } from "vitest";
import { exampleProgram } from "../../../domain/program/example-program";
import { diffPrograms } from "../../../domain/program/program-diff";

describe("diffPrograms", () => {
  it("finds nothing between equal documents", () => {
    expect(diffPrograms(exampleProgram, structuredClone(exampleProgram))).toEqual([]);
  });

  it("names each changed leaf by its path, objects by key and arrays by index", () => {
    const before = {
      name: "Club",
      tiers: [
        { id: "base", threshold: 0 },
        { id: "gold", threshold: 1000 },
      ],
    };
    const after = {
      name: "Club",
      tiers: [
        { id: "base", threshold: 0 },
        { id: "gold", threshold: 1200 },
      ],
    };
    expect(diffPrograms(before, after)).toEqual([{ path: "tiers[1].threshold", before: 1000, after: 1200 }]);
  });

  it("leaves out before for an added field and after for a removed one, in key order", () => {
    expect(diffPrograms({ b: 1, c: [1] }, { a: "new", c: [1, 2] })).toEqual([
      { path: "a", after: "new" },
      { path: "b", before: 1 },
      { path: "c[1]", after: 2 },
    ]);
  });

  it("reports a change of the whole value, or of a value's type, as one change", () => {
    expect(diffPrograms(1, 2)).toEqual([{ path: "(program)", before: 1, after: 2 }]);
    expect(diffPrograms({ a: [1] }, { a: { x: 1 } })).toEqual([{ path: "a", before: [1], after: { x: 1 } }]);
  });
});
