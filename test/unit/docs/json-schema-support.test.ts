import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadApiDocument } from "../../integration/http/conformance-document";
import { arbitraryOf } from "../../support/json-schema/arbitrary";
import { type JsonSchema, schemaErrors } from "../../support/json-schema/check";
import { invalidVariants } from "../../support/json-schema/invalid";

// The conformance test's own JSON Schema tools: if they were lax, the test would pass whatever the API does.

const components: Record<string, JsonSchema> = {
  Points: {
    anyOf: [
      { type: "integer", minimum: -10, maximum: -1 },
      { type: "integer", minimum: 1, maximum: 10 },
    ],
  },
};
const resolve = (ref: string) => components[ref.replace("#/components/schemas/", "")] ?? false;
const adjustment: JsonSchema = {
  type: "object",
  properties: {
    points: { $ref: "#/components/schemas/Points" },
    reason: { type: "string", minLength: 3, maxLength: 5, pattern: "\\S[\\s\\S]+\\S" },
    day: { type: "string", format: "date" },
  },
  required: ["points", "reason"],
  additionalProperties: false,
};

describe("schemaErrors", () => {
  it("accepts a valid value and names each invalid field", () => {
    expect(schemaErrors(adjustment, { points: 3, reason: "abc", day: "2024-02-29" }, resolve)).toEqual([]);
    const errors = schemaErrors(
      adjustment,
      { points: 0, reason: "   ", day: "2023-02-29", extra: 1 },
      resolve,
    );
    expect(errors).toEqual([
      "points: matches no anyOf branch",
      "reason: does not match the pattern",
      "day: not a date",
      "extra: no value is allowed here",
    ]);
    expect(schemaErrors(adjustment, { reason: "abcdef" }, resolve)).toEqual([
      "reason: longer than 5",
      "(root): points is required",
    ]);
  });

  it("refuses to skip a keyword it does not know", () => {
    expect(() => schemaErrors({ type: "string", contentEncoding: "base64" }, "x", resolve)).toThrow(
      /not supported/,
    );
  });
});

describe("arbitraryOf and invalidVariants", () => {
  it("generate only valid values, and only invalid variants of them", () => {
    fc.assert(
      fc.property(arbitraryOf(adjustment, { resolve }), (value) => {
        expect(schemaErrors(adjustment, value, resolve)).toEqual([]);
        const variants = invalidVariants(adjustment, value, resolve);
        expect(variants.map((v) => v.what)).toEqual(
          expect.arrayContaining(["outside every range", "too long"]),
        );
        for (const variant of variants)
          expect(schemaErrors(adjustment, variant.value, resolve)).not.toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it("generate valid requests for every request schema of docs/openapi.json", () => {
    const document = loadApiDocument();
    const schemas = document.operations.flatMap((o) => [
      ...(o.body ? [o.body.schema] : []),
      ...o.parameters.map((p) => p.schema),
    ]);
    expect(schemas.length).toBeGreaterThan(10);
    for (const schema of schemas) {
      const [value] = fc.sample(arbitraryOf(schema, { resolve: document.resolve }), { numRuns: 1, seed: 1 });
      expect(schemaErrors(schema, value, document.resolve)).toEqual([]);
    }
  });
});
