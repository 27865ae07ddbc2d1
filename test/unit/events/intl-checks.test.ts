import { describe, expect, it } from "vitest";
import { localeSchema, timeZoneSchema } from "../../../events/primitives";

// The time zone and locale checks remember the runtime's verdict per name: the second answer must be the first.
describe("remembered Intl checks", () => {
  it("answer the same for a name asked again, valid or not", () => {
    for (let round = 0; round < 2; round += 1) {
      expect(timeZoneSchema.safeParse("Europe/Berlin").success).toBe(true);
      expect(timeZoneSchema.safeParse("Mars/Olympus").success).toBe(false);
      expect(localeSchema.safeParse("en-GB").success).toBe(true);
      expect(localeSchema.safeParse("en-GB-x-").success).toBe(false);
    }
  });

  it("stay right once more names were asked than the memo holds", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    for (let n = 0; n < 1_100; n += 1) timeZoneSchema.safeParse(`Mars/Crater_${n}`);
    expect(zones.every((zone) => timeZoneSchema.safeParse(zone).success)).toBe(true);
    expect(timeZoneSchema.safeParse("Mars/Crater_1").success).toBe(false);
  });
});
