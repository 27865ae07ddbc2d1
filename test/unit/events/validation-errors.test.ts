import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  boundFieldErrors,
  FIELD_ERROR_BOUNDS,
  type FieldError,
  formatPath,
  formatZodIssues,
  summarizeFieldErrors,
} from "../../../events/validation-errors";

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

describe("boundFieldErrors", () => {
  const { maxErrors, maxPathLength, maxMessageLength } = FIELD_ERROR_BOUNDS;

  it("keeps short lists as they are", () => {
    const errors = [{ path: "detail.total", message: "must equal the sum of the lines" }];
    expect(boundFieldErrors(errors)).toEqual(errors);
  });

  it("lists at most maxErrors, the last saying how many were left out", () => {
    const errors = Array.from({ length: 5000 }, (_, i) => ({
      path: `detail.x${i}`,
      message: "unknown field",
    }));
    const bounded = boundFieldErrors(errors);
    expect(bounded).toHaveLength(maxErrors);
    expect(bounded.slice(0, -1)).toEqual(errors.slice(0, maxErrors - 1));
    expect(bounded.at(-1)).toEqual({
      path: "(more)",
      message: `${5000 - (maxErrors - 1)} more field error(s) not listed`,
    });
  });

  it("cuts long paths and messages, ending them with an ellipsis, without splitting a character", () => {
    const [bounded] = boundFieldErrors([
      { path: `detail.${"k".repeat(10_000)}`, message: "😀".repeat(5000) },
    ]);
    expect(bounded?.path).toHaveLength(maxPathLength);
    expect(bounded?.path.endsWith("…")).toBe(true);
    expect(bounded?.message.length).toBeLessThanOrEqual(maxMessageLength);
    expect(bounded?.message.endsWith("😀…")).toBe(true);
  });

  it("keeps any list of errors within a few kilobytes", () => {
    const huge: FieldError[] = Array.from({ length: 100 }, () => ({
      path: "p".repeat(50_000),
      message: "m".repeat(50_000),
    }));
    const bytes = Buffer.byteLength(JSON.stringify(boundFieldErrors(huge)));
    expect(bytes).toBeLessThanOrEqual(maxErrors * (maxPathLength + maxMessageLength) * 4 + 1024);
    expect(bytes).toBeLessThan(16 * 1024);
  });
});
