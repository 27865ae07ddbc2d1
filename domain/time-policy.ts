import type { Program } from "./program/program-schema";
import { type IsoDay, utcDay } from "./time";

// Which `occurredAt` Patron accepts (the program's `timePolicy`). An event's time decides its program
// version, qualifying month, promotions, expiry and cap periods, so a wrong one has lasting effects: a purchase
// dated 2099 would hold a tier until 2100, a profile change dated 2099 would pin the field for ever, and a
// burst of backdated interactions would land in periods whose caps were long forgotten.

const DAY_MS = 86_400_000;

/**
 * The late window when the program sets none and points are spendable at once (pendingDays 0). One day,
 * because EventBridge retries a failed delivery for up to 24 hours (its maximum event age): a shorter
 * window would turn a brief outage into events rejected for arriving late.
 */
export const MIN_LATE_ARRIVAL_DAYS = 1;

/** What an event is, as far as its time goes. */
export type EventTimeKind = "purchase" | "refund" | "interaction" | "member-enrolled" | "member-updated";

export type EventTimeRejection = "occurred-in-future" | "arrived-too-late";

/** `message` names the limit, never the event's value. */
export type EventTimeCheck = { ok: true } | { ok: false; reason: EventTimeRejection; message: string };

/** Kinds the late window applies to; see `checkEventTime` for why the others are exempt. */
const LATE_WINDOW_KINDS: ReadonlySet<EventTimeKind> = new Set(["purchase", "interaction"]);

/** Days an event may arrive after it occurred: the program's `lateArrivalDays`, else its pending period. */
export function lateArrivalDays(program: Program): number {
  return program.timePolicy.lateArrivalDays ?? Math.max(program.earning.pendingDays, MIN_LATE_ARRIVAL_DAYS);
}

/**
 * The first day whose periods can still receive events at `now`: interaction cap counters of periods that
 * end before it can be dropped, so the member's state stays bounded by the window, not by history.
 */
export function oldestOpenDay(program: Program, now: Date | string): IsoDay {
  return utcDay(new Date(instantMs(now) - lateArrivalDays(program) * DAY_MS));
}

/**
 * Whether an event that occurred at `occurredAt` may be applied at `now` (processing time).
 *
 * - More than `maxClockSkewSeconds` ahead of `now` → `occurred-in-future`, for every kind.
 * - Purchases and interactions more than the late window before `now` → `arrived-too-late`. They are
 *   rejected (parked), not applied: applying them would reach back into tier months and cap periods that
 *   have already been settled, and the window is the pending period, so a purchase is either applied while
 *   its points could still be returned or not at all.
 * - Refunds are exempt from the late window: a refund only reverses, tiers never drop on a refund, and
 *   losing it would leave the member with points they should not have.
 * - Member Enrolled and Member Updated are exempt too: per-field timestamps order profile changes, so a
 *   late one never overrides a newer one.
 */
export function checkEventTime(options: {
  program: Program;
  occurredAt: Date | string;
  now: Date | string;
  kind: EventTimeKind;
}): EventTimeCheck {
  const { program, kind } = options;
  const aheadMs = instantMs(options.occurredAt) - instantMs(options.now);
  const skewSeconds = program.timePolicy.maxClockSkewSeconds;
  if (aheadMs > skewSeconds * 1000)
    return {
      ok: false,
      reason: "occurred-in-future",
      message: `occurredAt is more than ${skewSeconds} seconds ahead of the time the event was processed`,
    };
  const windowDays = lateArrivalDays(program);
  if (LATE_WINDOW_KINDS.has(kind) && -aheadMs > windowDays * DAY_MS)
    return {
      ok: false,
      reason: "arrived-too-late",
      message: `occurredAt is more than ${windowDays} days before the event was processed (the program's late-arrival window)`,
    };
  return { ok: true };
}

function instantMs(at: Date | string): number {
  const ms = typeof at === "string" ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError("not a valid date-time");
  return ms;
}
