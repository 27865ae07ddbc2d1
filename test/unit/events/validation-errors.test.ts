import { describe, expect, it } from "vitest";
import * as z from "zod";
import { formatPath, formatZodIssues, summarizeFieldErrors } from "../../../events/validation-errors";

describe("formatPath", () => {
  it("joins keys with dots and indexes with brackets after an optional prefix", () => {
    expect(formatPath(["lines", 0, "quantity"], "detail")).toBe("detail.lines[0].quantity");
    expect(formatPath(["tiers", 2, "threshold"])).toBe("tiers[2].threshold");
    expect(formatPath(["detail-type"])).toBe("detail-type");
    expect(formatPath(["attributes", "has space"], "detail")).toBe('detail.attributes["has space"]');
    expect(formatPath([])).toBe("(root)");
    expect(formatPath([], "detail")).toBe("detail");
  });
});

describe("formatZodIssues", () => {
  const schema = z
    .object({ name: z.string(), items: z.array(z.object({ n: z.int().positive() }).strict()) })
    .strict();

  it("names missing fields, unknown fields (one per key) and bad values", () => {
    const result = schema.safeParse({ items: [{ n: 0, x: 1, y: 2 }], extra: true });
    expect(formatZodIssues(result.error?.issues ?? [], "program")).toEqual([
      { path: "program.name", message: "is required (expected string)" },
      { path: "program.items[0].n", message: expect.stringMatching(/>0/) },
      { path: "program.items[0].x", message: "unknown field: not part of this schema version" },
      { path: "program.items[0].y", message: "unknown field: not part of this schema version" },
      { path: "program.extra", message: "unknown field: not part of this schema version" },
    ]);
  });

  it("summarises errors on one line", () => {
    expect(
      summarizeFieldErrors([
        { path: "a", message: "x" },
        { path: "b[0]", message: "y" },
      ]),
    ).toBe("a: x; b[0]: y");
  });
});
