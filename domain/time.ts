// Calendar arithmetic for the loyalty rules. Every day, week, month and year boundary is in UTC so a
// member's state does not depend on the server's time zone; promotions use exact instants instead.

/** A calendar day, "YYYY-MM-DD" (UTC). */
export type IsoDay = string;
/** A calendar month, "YYYY-MM" (UTC). */
export type IsoMonth = string;

const DAY_MS = 86_400_000;

/**
 * Remembers the latest results of a pure calendar function by a string key. One event asks for the same few
 * instants and days dozens of times (now, its own time, review and due days), and parsing and formatting them
 * each time was the largest part of a purchase's domain CPU. Bounded: cleared when full.
 */
function remembered<A extends unknown[], R>(keyOf: (...args: A) => string, compute: (...args: A) => R) {
  const results = new Map<string, R>();
  return (...args: A): R => {
    const key = keyOf(...args);
    const known = results.get(key);
    if (known !== undefined) return known;
    const result = compute(...args);
    if (results.size >= 1024) results.clear();
    results.set(key, result);
    return result;
  };
}

const instantOfMs = remembered(String, (ms: number) => new Date(ms).toISOString());

const instantOfText = remembered(
  (at: string) => at,
  (at: string) => {
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) throw new RangeError(`not a valid date-time: ${at}`);
    return instantOfMs(ms);
  },
);

/** The instant as an ISO string in UTC ("...Z"); accepts a Date or any ISO 8601 date-time. */
export function toIsoInstant(at: Date | string): string {
  if (typeof at === "string") return instantOfText(at);
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a valid date-time: ${String(at)}`);
  return instantOfMs(ms);
}

export function utcDay(at: Date | string): IsoDay {
  return toIsoInstant(at).slice(0, 10);
}

export function monthOf(day: IsoDay): IsoMonth {
  return day.slice(0, 7);
}

export function dayStart(day: IsoDay): string {
  return `${day}T00:00:00.000Z`;
}

export const addDays: (day: IsoDay, days: number) => IsoDay = remembered(
  (day, days) => `${day}|${days}`,
  (day, days) => new Date(Date.parse(dayStart(day)) + days * DAY_MS).toISOString().slice(0, 10),
);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween: (from: IsoDay, to: IsoDay) => number = remembered(
  (from, to) => `${from}|${to}`,
  (from, to) => Math.round((Date.parse(dayStart(to)) - Date.parse(dayStart(from))) / DAY_MS),
);

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export const addMonths: (day: IsoDay, months: number) => IsoDay = remembered(
  (day, months) => `${day}|${months}`,
  (day, months) => {
    const [y, m, d] = day.split("-").map(Number) as [number, number, number];
    const monthIndex = y * 12 + (m - 1) + months;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return new Date(Date.UTC(year, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
  },
);

export function addMonthsToMonth(month: IsoMonth, months: number): IsoMonth {
  return monthOf(addMonths(`${month}-01`, months));
}

/** ISO 8601 week, "YYYY-Www" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(day: IsoDay): string {
  const date = new Date(dayStart(day));
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(date.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export type Period = "day" | "week" | "month" | "year";

/** The key of the period (day, ISO week, month or year) that contains `day`. */
export function periodKey(period: Period, day: IsoDay): string {
  switch (period) {
    case "day":
      return day;
    case "week":
      return isoWeek(day);
    case "month":
      return monthOf(day);
    case "year":
      return day.slice(0, 4);
  }
}
