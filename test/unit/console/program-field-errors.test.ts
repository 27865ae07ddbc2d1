import { describe, expect, it } from "vitest";
import {
  displayPath,
  fieldNameOf,
  fieldShowing,
  listErrors,
} from "../../../console/src/program/field-errors";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { programSchema } from "../../../domain/program/program-schema";
import { formatZodIssues } from "../../../events/validation-errors";

// The Program page shows the API's field errors next to the form fields: the API's paths (formatPath) must turn
// into the form's field names, and what no field holds must still be found for the summary.

describe("fieldNameOf", () => {
  it("turns the API's paths into form field names", () => {
    expect(fieldNameOf("tiers[1].threshold")).toBe("tiers.1.threshold");
    expect(fieldNameOf("effectiveFrom")).toBe("effectiveFrom");
    expect(fieldNameOf("earning.promotions[0].channels[2]")).toBe("earning.promotions.0.channels.2");
    expect(fieldNameOf('retention["odd key"].x')).toBe("retention.odd key.x");
  });

  it("names no field for the root or the 'more errors' marker", () => {
    expect(fieldNameOf("(root)")).toBeUndefined();
    expect(fieldNameOf("(more)")).toBeUndefined();
    expect(fieldNameOf("")).toBeUndefined();
  });

  it("round-trips every path the API reports for an inconsistent program", () => {
    const tiers = exampleProgramInput.tiers.map((t, i) => (i === 1 ? { ...t, threshold: 0 } : t));
    const parsed = programSchema.safeParse({ ...exampleProgramInput, tiers });
    if (parsed.success) throw new Error("expected the overlapping tier to be rejected");
    const errors = formatZodIssues(parsed.error.issues);
    expect(errors.map((e) => fieldNameOf(e.path))).toContain("tiers.1.threshold");
    for (const error of errors) expect(displayPath(fieldNameOf(error.path) ?? "")).toBe(error.path);
  });
});

describe("fieldShowing", () => {
  const fields = new Set(["tiers.1.threshold", "earning.promotions.0.channels"]);

  it("is the field itself or the nearest enclosing field", () => {
    expect(fieldShowing("tiers.1.threshold", fields)).toBe("tiers.1.threshold");
    expect(fieldShowing("earning.promotions.0.channels.2", fields)).toBe("earning.promotions.0.channels");
  });

  it("is undefined when no field on the page encloses the error", () => {
    expect(fieldShowing("milestones.1", fields)).toBeUndefined();
    expect(fieldShowing("tiers.1", fields)).toBeUndefined();
  });
});

describe("listErrors", () => {
  it("finds nested, array and list-level errors, including a field named type", () => {
    const errors = {
      tiers: [undefined, { threshold: { type: "custom", message: "overlaps the tier below" } }],
      tierQualification: { window: { type: { type: "invalid_value", message: "bad window" } } },
      retention: { triggers: { winBack: { steps: { root: { type: "custom", message: "must rise" } } } } },
    };
    expect(listErrors(errors)).toEqual([
      { name: "tiers.1.threshold", message: "overlaps the tier below" },
      { name: "tierQualification.window.type", message: "bad window" },
      { name: "retention.triggers.winBack.steps", message: "must rise" },
    ]);
  });
});
