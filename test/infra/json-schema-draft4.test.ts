import { describe, expect, it } from "vitest";
import { inboundEvents } from "../../events/catalog";
import { DRAFT4_URI, toDraft4 } from "../../infra/json-schema-draft4";
import { registrySchema } from "../../infra/schema-registry";

describe("toDraft4", () => {
  it("rewrites $schema, $id and const", () => {
    expect(
      toDraft4({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "urn:x",
        type: "object",
        properties: { v: { type: "string", const: "1" } },
      }),
    ).toEqual({
      $schema: DRAFT4_URI,
      id: "urn:x",
      type: "object",
      properties: { v: { type: "string", enum: ["1"] } },
    });
  });

  it("turns numeric exclusive bounds into Draft 4 boolean form, keeping the stricter bound", () => {
    expect(toDraft4({ type: "integer", exclusiveMinimum: 0 })).toEqual({
      type: "integer",
      minimum: 0,
      exclusiveMinimum: true,
    });
    expect(toDraft4({ type: "number", exclusiveMaximum: 10, maximum: 5 })).toEqual({
      type: "number",
      maximum: 5,
    });
    expect(toDraft4({ type: "number", exclusiveMaximum: 5, maximum: 10 })).toEqual({
      type: "number",
      maximum: 5,
      exclusiveMaximum: true,
    });
  });

  it("expresses propertyNames patterns as patternProperties", () => {
    expect(
      toDraft4({
        type: "object",
        propertyNames: { type: "string", pattern: "^[a-z]+$" },
        additionalProperties: { anyOf: [{ type: "string" }, { type: "number", exclusiveMinimum: 0 }] },
      }),
    ).toEqual({
      type: "object",
      patternProperties: {
        "^[a-z]+$": { anyOf: [{ type: "string" }, { type: "number", minimum: 0, exclusiveMinimum: true }] },
      },
      additionalProperties: false,
    });
  });

  it("refuses keywords Draft 4 cannot express, naming where", () => {
    expect(() => toDraft4({ properties: { a: { if: { type: "string" } } } })).toThrow(
      '#/properties/a: "if" has no JSON Schema Draft 4 equivalent',
    );
    expect(() => toDraft4({ propertyNames: { maxLength: 3 } })).toThrow(/#\/propertyNames: only/);
  });
});

describe("registrySchema", () => {
  it.each(Object.values(inboundEvents).map((definition) => [definition.detailType, definition] as const))(
    "wraps the %s detail schema in the EventBridge envelope",
    (_detailType, definition) => {
      const schema = registrySchema(definition);
      expect(schema.$schema).toBe(DRAFT4_URI);
      expect(schema.required).toEqual(["source", "detail-type", "detail"]);
      const properties = schema.properties as Record<string, Record<string, unknown>>;
      expect(properties.source).toEqual({ type: "string", pattern: "^retail\\..+$" });
      expect(properties.detail?.type).toBe("object");
      expect(properties.detail?.$schema).toBeUndefined();
    },
  );
});
