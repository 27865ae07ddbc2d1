// The bridge between a member's loyalty state and the retention rules: the facts the triggers read, and the
// retention bookkeeping a purchase, a resolved complaint, a reached milestone or a birthday change does.
import type { Program } from "../program/program-schema";
import { nextCheckDay, refileOnPurchase } from "../retention/due-buckets";
import { type Conversion, onPurchase } from "../retention/lifecycle";
import { MAX_PENDING_CONVERSIONS, MAX_RECENT_OCCASIONS } from "../retention/retention-state";
import type { MemberFacts } from "../retention/triggers";
import { tierStatus } from "../tiers/tier-review";
import { addDays, type IsoDay, utcDay } from "../time";
import type { MemberState } from "./member-state";
import { spendableBalance } from "./queries";
import { withReferralCheck } from "./referral";

/** What the retention triggers need to know about a member on `today` (state already settled). */
export function retentionFacts(state: MemberState, program: Program, today: IsoDay): MemberFacts {
  const status = tierStatus(state, program, today);
  const lowest = program.tiers[0]?.id === status.tierId;
  const serviceCase = state.satisfaction?.serviceCase;
  return {
    memberId: state.memberId,
    retention: state.retention,
    spendablePoints: spendableBalance(state),
    expiries: state.points.lots.map((lot) => ({ expiresOn: lot.expiresOn, points: lot.points })),
    ...(state.scores && { probabilityAlive: state.scores.probabilityAlive }),
    // Stored as ISO "--MM-DD"; the triggers read "MM-DD".
    ...(state.retention.birthday !== undefined && { birthday: state.retention.birthday.slice(2) }),
    ...(state.retention.complaintsResolved && { complaintsResolved: state.retention.complaintsResolved }),
    ...(state.retention.milestonesReached && { milestonesReached: state.retention.milestonesReached }),
    ...(serviceCase && {
      serviceCase: { caseId: serviceCase.caseId, openedOn: utcDay(serviceCase.openedAt) },
    }),
    tier: {
      tierId: status.tierId,
      keepsUntil: status.keepsUntil,
      ...(!lowest && {
        toKeep: {
          metric: status.toKeep.metric === "qualifyingSpend" ? "spendMinor" : "statusPoints",
          required: status.toKeep.required,
          current: status.toKeep.current,
        },
      }),
    },
  };
}

/**
 * A purchase's retention bookkeeping, in place on the (already copied) state: rhythm, conversions of pending
 * triggers, the stage, and the due day — moved only when it must come earlier (lazy buckets), or to tomorrow
 * when a conversion waits to be counted by the daily job. Returns the conversions.
 */
export function recordPurchaseRetention(
  state: MemberState,
  program: Program,
  purchase: { occurredAt: string; totalMinor: number },
): Conversion[] {
  const outcome = onPurchase(state.retention, purchase.occurredAt, program.retention, purchase.totalMinor);
  state.retention = outcome.state;
  state.unreportedConversions = [...state.unreportedConversions, ...outcome.conversions].slice(
    -MAX_PENDING_CONVERSIONS,
  );
  return outcome.conversions;
}

/** Remembers a resolved complaint for the service-recovery trigger (latest MAX_RECENT_OCCASIONS only). */
export function recordComplaintResolved(state: MemberState, complaintId: string, resolvedOn: IsoDay): void {
  const known = state.retention.complaintsResolved ?? [];
  // A complaint resolved again (reopened) counts from its latest resolution, whatever the arrival order.
  if (known.some((c) => c.complaintId === complaintId && c.resolvedOn >= resolvedOn)) return;
  const kept = known.filter((c) => c.complaintId !== complaintId);
  state.retention = {
    ...state.retention,
    complaintsResolved: latest([...kept, { complaintId, resolvedOn }], (c) => [c.resolvedOn, c.complaintId]),
  };
}

/** Remembers milestones reached on `reachedOn` for the milestone trigger (latest MAX_RECENT_OCCASIONS only). */
export function recordMilestonesReached(state: MemberState, milestoneIds: string[], reachedOn: IsoDay): void {
  if (milestoneIds.length === 0) return;
  const reached = milestoneIds.map((milestoneId) => ({ milestoneId, reachedOn }));
  state.retention = {
    ...state.retention,
    milestonesReached: latest([...(state.retention.milestonesReached ?? []), ...reached], (m) => [
      m.reachedOn,
      m.milestoneId,
    ]),
  };
}

/**
 * Keeps the birthday's month-day ("--MM-DD", from a profile "YYYY-MM-DD" or "--MM-DD") for the birthday trigger
 * and brings the due day earlier when the message is due before it. The state need not be settled: only an
 * earlier day is taken, and a member due today or before is looked at by the job anyway. False if unchanged.
 */
export function recordBirthday(
  state: MemberState,
  program: Program,
  birthday: string,
  today: IsoDay,
): boolean {
  const monthDay = `--${birthday.slice(-5)}`;
  if (state.retention.birthday === monthDay) return false;
  state.retention = { ...state.retention, birthday: monthDay };
  const next = nextCheckDay(retentionFacts(state, program, today), program.retention, today);
  if (next < state.retention.dueOn) state.retention = { ...state.retention, dueOn: next };
  return true;
}

/** The newest MAX_RECENT_OCCASIONS by day, then id, so the result does not depend on arrival order. */
function latest<T>(items: T[], key: (item: T) => [IsoDay, string]): T[] {
  const order = (item: T) => key(item).join("#");
  return [...items].sort((a, b) => order(a).localeCompare(order(b))).slice(-MAX_RECENT_OCCASIONS);
}

/**
 * Re-files the member after a change that can bring a check earlier — a purchase, a resolved complaint, a
 * reached milestone, a new birthday (see due-buckets.ts "Updated lazily"); call on the settled state.
 */
export function refileDueDay(state: MemberState, program: Program, today: IsoDay): void {
  const dueOn = state.retention.dueOn;
  let next = nextCheckDay(retentionFacts(state, program, today), program.retention, today);
  const tomorrow = addDays(today, 1);
  if (state.unreportedConversions.length > 0 && tomorrow < next) next = tomorrow;
  next = withReferralCheck(state, next, today);
  const refiled = refileOnPurchase(dueOn, next, today);
  if (refiled !== undefined) state.retention = { ...state.retention, dueOn: refiled };
}
