import { describe, expect, it } from "vitest";
import { currencyCodes, currencyMinorUnits, isCurrencyCode } from "../../../events/currencies";

describe("ISO 4217 currencies", () => {
  it("knows each currency's minor-unit exponent", () => {
    expect(currencyMinorUnits("JPY")).toBe(0);
    expect(currencyMinorUnits("KRW")).toBe(0);
    expect(currencyMinorUnits("EUR")).toBe(2);
    expect(currencyMinorUnits("USD")).toBe(2);
    expect(currencyMinorUnits("KWD")).toBe(3);
    expect(currencyMinorUnits("BHD")).toBe(3);
  });

  it("rejects unknown, lowercase and fund codes", () => {
    expect(isCurrencyCode("EUR")).toBe(true);
    for (const code of ["eur", "EURO", "XXX", "XAU", "USN", ""]) expect(isCurrencyCode(code)).toBe(false);
    expect(() => currencyMinorUnits("ABC")).toThrow(/unknown ISO 4217 currency "ABC"/);
  });

  it("lists well-formed, unique codes that the runtime's ICU also knows (bar brand-new ones)", () => {
    expect(currencyCodes.length).toBeGreaterThan(150);
    expect(new Set(currencyCodes).size).toBe(currencyCodes.length);
    for (const code of currencyCodes) expect(code).toMatch(/^[A-Z]{3}$/);
    const icu = new Set(Intl.supportedValuesOf("currency"));
    const unknownToIcu = currencyCodes.filter((code) => !icu.has(code));
    expect(unknownToIcu.every((code) => ["VED", "XCG", "ZWG"].includes(code))).toBe(true);
  });
});
