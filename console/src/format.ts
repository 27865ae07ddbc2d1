// Figures as the console shows them. Money is stored in integer minor units of the program's currency; the
// currency's own number of decimals (2 for EUR, 0 for JPY) turns them into an amount. Formats follow the
// browser's locale.

export function formatMoney(minor: number, currency: string | undefined): string {
  if (!currency) return `${formatInteger(minor)} (minor units)`;
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** decimals);
}

export function formatInteger(value: number): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(value);
}

export function formatNumber(value: number, digits = 2): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(value);
}

/** A share (0.253) as a percentage ("25.3%"); a dash when there is none. */
export function formatShare(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(undefined, {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** Signed points with a sign either way ("+120", "−40"). */
export function formatSigned(value: number, digits = 0): string {
  return new Intl.NumberFormat(undefined, {
    signDisplay: "exceptZero",
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** A UTC calendar day (YYYY-MM-DD) as a date, without moving it to the browser's time zone. */
export function formatDay(day: string | undefined): string {
  if (!day) return "—";
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" }).format(date);
}
