// Wall-clock hours in a member's time zone without I/O: Intl knows the tz database, so DST changes are handled
// by asking Intl for the local hour rather than by adding fixed offsets.
import { InvalidFacts } from "../errors";

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Every offset in use today is a multiple of 15 minutes, so local hour boundaries fall on these instants. */
const QUARTER_HOUR_MS = 15 * 60_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" });
    } catch {
      throw new InvalidFacts("timeZone", "must be an IANA time zone such as Europe/Berlin");
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The hour (0–23) on the wall clock in `timeZone` at `ms` (epoch milliseconds). */
export function localHour(ms: number, timeZone: string): number {
  const part = formatter(timeZone)
    .formatToParts(ms)
    .find((p) => p.type === "hour");
  return Number(part?.value);
}

export interface QuietHours {
  enabled: boolean;
  /** Local hour quiet time starts (inclusive). */
  startHour: number;
  /** Local hour quiet time ends (exclusive); smaller than startHour when quiet time spans midnight. */
  endHour: number;
}

export function isQuietHour(hour: number, quiet: QuietHours): boolean {
  if (!quiet.enabled || quiet.startHour === quiet.endHour) return false;
  return quiet.startHour < quiet.endHour
    ? hour >= quiet.startHour && hour < quiet.endHour
    : hour >= quiet.startHour || hour < quiet.endHour;
}

/**
 * The first instant at or after `ms` outside quiet hours in `timeZone`. Walks quarter-hour instants, so it lands
 * exactly on the local end hour even across a DST change (where the wall clock skips or repeats an hour).
 */
export function endOfQuietHours(ms: number, quiet: QuietHours, timeZone: string): number {
  if (!isQuietHour(localHour(ms, timeZone), quiet)) return ms;
  let t = Math.ceil(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  // Quiet time lasts at most 23 wall-clock hours, 24 real hours across a DST change: ≤ 97 quarter hours.
  for (let i = 0; i < 100; i++, t += QUARTER_HOUR_MS) {
    if (!isQuietHour(localHour(t, timeZone), quiet)) return t;
  }
  throw new InvalidFacts("quietHours", "leave no hour of the day to send in");
}
