// Calendar dates as whole day numbers (days since 1970-01-01, UTC), so summaries can use integer arithmetic.
// Date.UTC only converts; it does not read the clock.

const MS_PER_DAY = 86_400_000;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a YYYY-MM-DD or YYYYMMDD date, or undefined when the text is not a real calendar date. */
export function parseDayNumber(text: string): number | undefined {
  const match = COMPACT.exec(text) ?? ISO.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 1997-02-30 over to March; reject anything that did not stay in its month.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY;
}

/** YYYY-MM-DD text for a day number. */
export function formatDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}
