/**
 * ISO 4217 circulating currencies with their minor-unit exponent (List One, 2025 edition).
 * Fund codes (BOV, CHE, CLF, USN...), precious metals, SDR and test codes are deliberately absent:
 * no shop prices a basket in them. ICU's `Intl` data is not used because its "digits" differ
 * from ISO 4217 for several currencies (e.g. IQD, ISK, CLP) and vary with the Node version.
 */
const EXPONENTS: Readonly<Record<number, string>> = {
  0: "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF",
  2:
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD " +
    "CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD " +
    "HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD " +
    "MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON " +
    "RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD " +
    "TZS UAH USD UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG",
  3: "BHD IQD JOD KWD LYD OMR TND",
};

const minorUnits: ReadonlyMap<string, number> = new Map(
  Object.entries(EXPONENTS).flatMap(([exponent, codes]) =>
    codes.split(" ").map((code) => [code, Number(exponent)] as const),
  ),
);

/** Every accepted ISO 4217 code, sorted. */
export const currencyCodes: readonly string[] = [...minorUnits.keys()].sort();

export function isCurrencyCode(code: string): boolean {
  return minorUnits.has(code);
}

/** Number of decimal places of the currency's minor unit: `currencyMinorUnits("JPY") === 0`, EUR 2, KWD 3. */
export function currencyMinorUnits(code: string): number {
  const exponent = minorUnits.get(code);
  if (exponent === undefined) throw new RangeError(`unknown ISO 4217 currency "${code}"`);
  return exponent;
}
