/** Minor units of a currency as plain text, e.g. "EUR 12.50" or "JPY 1200" (minor digits from Intl). */
export function formatMinor(currency: string, minor: number): string {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${currency} ${(minor / 10 ** digits).toFixed(digits)}`;
}
