import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffCeiling, backoffDelay } from "../../../functions/shared/backoff";

describe("backoff", () => {
  it("doubles the ceiling per retry up to the cap", () => {
    const options = { baseMs: 20, capMs: 100 };
    expect([1, 2, 3, 4, 5].map((retry) => backoffCeiling(retry, options))).toEqual([20, 40, 80, 100, 100]);
  });

  it("waits uniformly below the ceiling (full jitter), never negative and never at the ceiling", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, r) => {
          const delay = backoffDelay(retry, { baseMs: 20, capMs: 1000, random: () => r });
          const ceiling = backoffCeiling(retry, { baseMs: 20, capMs: 1000 });
          return delay >= 0 && delay < ceiling && delay === r * ceiling;
        },
      ),
    );
  });
});
