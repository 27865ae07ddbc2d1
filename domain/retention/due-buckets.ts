/*
 * Due-date buckets: how the daily retention job finds the members it must look at without scanning the table.
 *
 * Scheme
 * - Every member has a due day, `state.retention.dueOn`: the day the job must next look at them. It is the
 *   earliest of: the lifecycle's next stage change (at-risk day, lapse day, end of the win-back journey), the
 *   next win-back step, the points-expiry reminder, the tier-downgrade warning, the birthday message, and any
 *   deferral (nextCheckDay below).
 * - The member is filed under the bucket key `DUE#<YYYY-MM-DD>#<shard>`, shard = stableHash32(memberId) mod S
 *   (S = `dueBuckets.shards`, default 16). It is written as an attribute of the member's own item that keys a
 *   sparse, KEYS_ONLY global secondary index (partition = bucket key, sort = member id). Shards spread one day's
 *   members over S index partitions so neither the writes nor the job's reads make a hot partition.
 * - The job, for each day from the last day it finished up to today (catch-up after an outage, dueDaysToRead),
 *   queries the S bucket partitions, reads each member item, brings it up to date (evaluateLifecycle,
 *   decideTriggers, decideSend, markTriggerHandled) and files it again under nextCheckDay, which is always after
 *   today. All in one conditional write on the member item, so a retried or concurrent job cannot double-apply.
 *
 * Updated lazily
 * - A purchase usually moves a member's due day later (their at-risk day moves out); then it leaves the bucket
 *   key alone: no extra request and no index write on the purchase path. When the job reaches the old bucket it
 *   finds nothing due for that member and just files them under the new day ("stale entry").
 * - A purchase writes the key (in the same UpdateItem it makes anyway) only when it pulls the due day earlier or
 *   the current entry is today's or older, e.g. the enrolling purchase (refileOnPurchase).
 *
 * Cost of one daily run
 * - Items read = E index entries + E member items = 2·E, where E = D + X: D members really due that day and X
 *   stale entries. Nothing else is read, whatever the table size; the S per-shard queries add only pages.
 * - So reads ≤ 3·D while X ≤ D/2. X counts the members who bought since they were filed and were filed for this
 *   day: each purchase makes at most one entry stale, and the job re-files it under the member's real next check.
 *   Members who buy faster than their at-risk day comes round contribute one stale read per at-risk interval.
 * - Purchases that pull the check earlier (the third purchase day switching a member to their own, shorter
 *   rhythm; a quick repeat purchase; a churned member returning) write the key in the UpdateItem they already
 *   make: no extra request, one index update. Skipping those would detect such members late.
 * - Writes: one conditional UpdateItem per member read (state + new bucket key; the index moves the entry).
 */
import { addDays, type IsoDay, utcDay } from "../time";
import { stableHash32 } from "./hash";
import { stageDays } from "./lifecycle";
import type { RetentionConfig } from "./retention-config";
import { type MemberFacts, upcomingTriggers } from "./triggers";

/** Shards per due day unless the program says otherwise (`retention.dueBuckets.shards`). */
export const DEFAULT_DUE_SHARDS = 16;
/** A member with nothing scheduled is still looked at once a year, so no one is forgotten. */
export const MAX_CHECK_INTERVAL_DAYS = 365;

/**
 * The job runs hourly; a UTC day's due members are read once, by the first run from this hour: after the 01:00
 * analytics job whose scores the lapse model and offer sizing read, and in the morning in Europe and Africa.
 * Quiet hours defer the rest of the world. Earlier runs read the day before again.
 */
export const DUE_BUCKETS_FROM_HOUR_UTC = 9;

/** The latest due day an hourly run at `now` reads: today from DUE_BUCKETS_FROM_HOUR_UTC on, else yesterday. */
export function latestDueDay(now: Date | string): IsoDay {
  const at = new Date(now);
  const today = utcDay(at);
  return at.getUTCHours() >= DUE_BUCKETS_FROM_HOUR_UTC ? today : addDays(today, -1);
}

export function shardOf(memberId: string, shards: number): number {
  return stableHash32(memberId) % shards;
}

/** The days whose buckets the job reads: after the last finished day up to today, at most `maxDays` back. */
export function dueDaysToRead(lastFinishedDay: IsoDay | undefined, today: IsoDay, maxDays = 31): IsoDay[] {
  const first = lastFinishedDay === undefined ? today : addDays(lastFinishedDay, 1);
  const from = laterDay(first, addDays(today, -(maxDays - 1)));
  const days: IsoDay[] = [];
  for (let day = from; day <= today; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * The next day the job must look at the member, always after `today`. Things already due (a deferred trigger)
 * count from `deferredUntil` when given, else from tomorrow.
 */
export function nextCheckDay(
  facts: MemberFacts,
  config: RetentionConfig,
  today: IsoDay,
  deferredUntil?: Date | string,
): IsoDay {
  const tomorrow = addDays(today, 1);
  const deferredDay = deferredUntil === undefined ? tomorrow : utcDay(deferredUntil);
  const openDay = laterDay(deferredDay, tomorrow);
  const days = upcomingTriggers(facts, config, today).map((t) => t.dueOn);
  const lifecycle = lifecycleDay(facts, config);
  if (lifecycle !== undefined) days.push(lifecycle);
  let next = addDays(today, MAX_CHECK_INTERVAL_DAYS);
  for (const day of days) {
    const at = day <= today ? openDay : day;
    if (at < next) next = at;
  }
  return next;
}

/** ISO days compare as strings (Math.max would turn them into NaN). */
function laterDay(a: IsoDay, b: IsoDay): IsoDay {
  return a < b ? b : a;
}

function lifecycleDay(facts: MemberFacts, config: RetentionConfig): IsoDay | undefined {
  const r = facts.retention;
  const days = stageDays(r, config, facts.probabilityAlive);
  switch (r.stage) {
    case "new":
    case "active":
    case "won-back":
      return days.atRiskOn;
    case "at-risk":
      return days.lapsedOn;
    case "lapsed":
      return days.churnOn;
    case "churned":
      return undefined;
  }
}

/**
 * After a purchase: the day to re-file the member under, or undefined to leave the bucket key alone (the lazy
 * case). Re-files only when the check moved earlier or the current entry is today's or older (the job may
 * already have read that bucket).
 */
export function refileOnPurchase(dueOn: IsoDay, nextCheck: IsoDay, today: IsoDay): IsoDay | undefined {
  return nextCheck < dueOn || dueOn <= today ? nextCheck : undefined;
}
