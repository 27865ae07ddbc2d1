import { describe, expect, it } from "vitest";
import { formatChange, formatValue, humanisePath } from "../../../console/src/pages/review-format";
import { exampleProgramInput } from "../../../domain/program/example-program";

describe("humanisePath", () => {
  it("names array items by position and name, and camelCase keys as words", () => {
    expect(humanisePath("tiers[1].threshold", [exampleProgramInput])).toBe("Tier 2 (Gold) · threshold");
    expect(humanisePath("earning.basePointsPerUnit", [exampleProgramInput])).toBe(
      "Earning · base points per unit",
    );
    expect(humanisePath("categories[2]", [exampleProgramInput])).toBe("Category 3");
    expect(humanisePath("tiers[2].perks[0]", [exampleProgramInput])).toBe("Tier 3 (Platinum) · Perk 1");
  });

  it("finds a removed item's name in the older program", () => {
    const after = { tiers: exampleProgramInput.tiers.slice(0, 2) };
    expect(humanisePath("tiers[2].name", [after, exampleProgramInput])).toBe("Tier 3 (Platinum) · name");
  });

  it("leaves the whole-document change as it is", () => {
    expect(humanisePath("(program)", [{}])).toBe("(program)");
  });
});

describe("values and changes", () => {
  it("writes absent values as a dash and signs changes", () => {
    expect(formatValue(undefined)).toBe("—");
    expect(formatValue("Gold")).toBe("Gold");
    expect(formatValue(1000)).toBe("1000");
    expect(formatValue(["a", "b"])).toBe('["a","b"]');
    expect(formatChange(1200)).toBe("+1,200");
    expect(formatChange(-5)).toBe("-5");
    expect(formatChange(0)).toBe("0");
  });
});
