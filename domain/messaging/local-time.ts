// Wall-clock time in a member's time zone without I/O: Intl knows the tz database, so DST changes are handled
// by asking Intl for the local time rather than by adding fixed offsets.
import { InvalidFacts } from "../errors";

const formatters = new Map<string, Intl.DateTimeFormat>();
const MINUTE_MS = 60_000;
const MINUTES_PER_DAY = 24 * 60;
/**
 * Every offset in use today is a multiple of 15 minutes, so offsets change only at quarter-hour instants and
 * local minutes start on whole UTC minutes.
 */
const QUARTER_HOUR_MS = 15 * MINUTE_MS;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hour: "numeric",
        minute: "numeric",
        hourCycle: "h23",
      });
    } catch {
      throw new InvalidFacts("timeZone", "must be an IANA time zone such as Europe/Berlin");
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The minute of the day (0–1439) on the wall clock in `timeZone` at `ms` (epoch milliseconds). */
export function localMinute(ms: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(ms);
  const value = (type: "hour" | "minute") => Number(parts.find((p) => p.type === type)?.value);
  return value("hour") * 60 + value("minute");
}

/** The program's quiet hours (retention.messaging.quietHours): whole local hours. */
export interface QuietHours {
  enabled: boolean;
  /** Local hour quiet time starts (inclusive). */
  startHour: number;
  /** Local hour quiet time ends (exclusive); smaller than startHour when quiet time spans midnight. */
  endHour: number;
}

/** Quiet time as minutes of the local day: from startMinute (inclusive) to endMinute (exclusive). */
export interface QuietWindow {
  startMinute: number;
  /** Smaller than startMinute when the window spans midnight; equal to it for no quiet time at all. */
  endMinute: number;
}

/**
 * The windows a retention e-mail must avoid. The program's quiet hours are the retailer's policy and always
 * apply; a member's own quiet hours (from their preferences) are added to them, never replace them, so a
 * member can ask for more quiet but not for less.
 */
export function quietWindows(program: QuietHours, member?: QuietWindow): QuietWindow[] {
  const windows: QuietWindow[] = [];
  if (program.enabled) windows.push({ startMinute: program.startHour * 60, endMinute: program.endHour * 60 });
  if (member) windows.push(member);
  return windows;
}

/** True when the local minute of the day falls in any of the windows. */
export function isQuietMinute(minute: number, windows: readonly QuietWindow[]): boolean {
  return windows.some(({ startMinute: start, endMinute: end }) =>
    start <= end ? minute >= start && minute < end : minute >= start || minute < end,
  );
}

/**
 * The first instant at or after `ms` outside every window in `timeZone`; undefined when the windows leave none. Asks Intl for the local time once per
 * quarter hour (the offset cannot change inside one) and counts the minutes within it, so it lands on the exact
 * minute quiet time ends, even when a gap between two windows is shorter than a quarter hour and across DST
 * changes (where the wall clock skips or repeats an hour).
 */
export function endOfQuietHours(
  ms: number,
  windows: readonly QuietWindow[],
  timeZone: string,
): number | undefined {
  if (!isQuietMinute(localMinute(ms, timeZone), windows)) return ms;
  // Quiet time covers less than a local day, but if the only free minutes fall in the hour a DST change skips,
  // the next ones come a day later: two days of quarter hours (plus the one `ms` is in) always reach them.
  let quarter = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  for (let i = 0; i <= 2 * 24 * 4; i++, quarter += QUARTER_HOUR_MS) {
    const first = localMinute(quarter, timeZone);
    for (let k = 0; k < 15; k++) {
      const t = quarter + k * MINUTE_MS;
      if (t > ms && !isQuietMinute((first + k) % MINUTES_PER_DAY, windows)) return t;
    }
  }
  // A member's quiet hours can cover every minute the program's leave open: they asked for no sends at all.
  return undefined;
}
