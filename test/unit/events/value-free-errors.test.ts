import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inboundEvents } from "../../../events/catalog";
import { parseInbound } from "../../../events/envelope";
import type { FieldError } from "../../../events/validation-errors";
import { loadSample } from "./load-samples";

// Error messages reach logs and the REJECTED# partition, so they must name the field and why, never
// echo what the producer sent: an e-mail sent in the wrong field would otherwise be logged verbatim.

type Path = ReadonlyArray<string | number>;

/** Every leaf of a JSON value, plus each object itself as a place for an unknown field. */
function placesIn(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => placesIn(item, [...path, i]));
  if (typeof value === "object" && value !== null) {
    const own = Object.entries(value).flatMap(([key, child]) => placesIn(child, [...path, key]));
    return [...own, [...path, "unexpectedField"]];
  }
  return [path];
}

function placed(event: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(event) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = value;
  return copy;
}

const samples = Object.values(inboundEvents).map((definition) => loadSample(definition));
const places = samples.flatMap((sample) => placesIn(sample).map((path) => ({ sample, path })));

/** Distinctive enough that finding one in a message means it was echoed, not a coincidence. */
const strangerValue = fc.oneof(
  fc.emailAddress(),
  fc.string({ minLength: 8, maxLength: 300 }),
  fc.string({ unit: "grapheme", minLength: 6, maxLength: 40 }),
);

const texts = (errors: readonly FieldError[]) => [
  ...errors.flatMap((error) => [error.path, error.message]),
  JSON.stringify(errors),
];

describe("validation errors never contain the values they reject", () => {
  it("a random string in any field (or a new one) appears in no path or message", () => {
    fc.assert(
      fc.property(fc.constantFrom(...places), strangerValue, ({ sample, path }, value) => {
        const result = parseInbound(placed(sample, path, value));
        if (result.ok) return;
        const escaped = JSON.stringify(value).slice(1, -1);
        for (const text of texts(result.errors)) {
          expect(text.includes(value), `${path.join(".")}: ${text}`).toBe(false);
          expect(text.includes(escaped), `${path.join(".")}: ${text}`).toBe(false);
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it("the cases once echoed: currency, interaction kind, detail-type, amounts", () => {
    const email = "jane.doe@example.com";
    const purchase = loadSample(inboundEvents.purchaseCompleted);
    const cases = [
      placed(purchase, ["detail", "currency"], email),
      placed(loadSample(inboundEvents.interactionRecorded), ["detail", "kind"], email),
      placed(purchase, ["detail-type"], email),
      placed(purchase, ["detail", "total"], 987_654_321),
      placed(purchase, ["detail", "discountTotal"], 987_654_321),
    ];
    for (const event of cases) {
      const result = parseInbound(event);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      const text = JSON.stringify(result.errors);
      expect(text).not.toContain(email);
      expect(text).not.toContain("987654321");
    }
  });
});
