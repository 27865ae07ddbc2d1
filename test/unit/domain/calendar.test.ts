import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyData } from "../../../domain/plain-data";
import { addDays, addMonths, daysBetween, toIsoInstant, utcDay } from "../../../domain/time";

// The calendar helpers remember recent results; these properties hold them to the plain computation they
// replaced, across cache hits, misses and the cache being cleared when full.

const DAY_MS = 86_400_000;
const day = fc
  .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));

/** Calendar months the Date way, an oracle independent of the implementation: to the month, then clamp the day. */
function plainAddMonths(d: string, months: number): string {
  const from = new Date(`${d}T00:00:00Z`);
  const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 0)).getUTCDate();
  to.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return to.toISOString().slice(0, 10);
}

describe("calendar helpers", () => {
  it("match the plain computation, asked once or many times (2,000 distinct arguments overflow the cache)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(day, day, fc.integer({ min: -400, max: 400 })), { minLength: 1 }),
        (cases) => {
          for (const [d, other, n] of [...cases, ...cases]) {
            expect(addDays(d, n)).toBe(
              new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10),
            );
            expect(addMonths(d, n % 40)).toBe(plainAddMonths(d, n % 40));
            expect(daysBetween(d, other)).toBe(Math.round((Date.parse(other) - Date.parse(d)) / DAY_MS));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("normalise instants to UTC whether given as text or as a Date, and reject invalid ones every time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }),
        fc.integer({ min: -12, max: 14 }),
        (ms, hours) => {
          const sign = hours < 0 ? "-" : "+";
          const local = new Date(ms + hours * 3_600_000).toISOString().slice(0, 19);
          const text = `${local}${sign}${String(Math.abs(hours)).padStart(2, "0")}:00`;
          expect(toIsoInstant(text)).toBe(new Date(Date.parse(text)).toISOString());
          expect(toIsoInstant(new Date(ms))).toBe(new Date(ms).toISOString());
          expect(utcDay(text)).toBe(toIsoInstant(text).slice(0, 10));
        },
      ),
    );
    for (let i = 0; i < 2; i += 1) {
      expect(() => toIsoInstant("not a time")).toThrow(RangeError);
      expect(() => toIsoInstant(new Date(Number.NaN))).toThrow(RangeError);
    }
  });
});

describe("copyData", () => {
  it("copies JSON data deeply: equal to structuredClone's copy and sharing no object with the original", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = copyData(value);
        expect(copy).toStrictEqual(structuredClone(value));
        const originals = new Set<unknown>();
        const collect = (v: unknown) => {
          if (v !== null && typeof v === "object") {
            originals.add(v);
            for (const child of Object.values(v)) collect(child);
          }
        };
        collect(value);
        const shares = (v: unknown): boolean =>
          v !== null && typeof v === "object" && (originals.has(v) || Object.values(v).some(shares));
        expect(shares(copy)).toBe(false);
      }),
    );
  });

  it("copies a field named __proto__ as an own field, never as the copy's prototype", () => {
    // JSON.parse makes "__proto__" an ordinary own key; plain assignment would set the prototype instead.
    const value = JSON.parse('{"__proto__":{"polluted":true},"a":{"__proto__":0}}') as object;
    const copy = copyData(value);
    expect(copy).toStrictEqual(structuredClone(value));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(["__proto__", "a"]);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("keeps fields that are present but undefined, as structuredClone does", () => {
    expect(copyData({ a: undefined, b: [1, { c: undefined }] })).toStrictEqual({
      a: undefined,
      b: [1, { c: undefined }],
    });
  });
});
