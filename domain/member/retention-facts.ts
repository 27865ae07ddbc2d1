// The bridge between a member's loyalty state and the retention rules: the facts the triggers read, and the
// retention bookkeeping a purchase does. Birthdays, resolved complaints and milestone dates are not in the
// member state (the birthday is profile PII), so those triggers are not scheduled from here.
import type { Program } from "../program/program-schema";
import { nextCheckDay, refileOnPurchase } from "../retention/due-buckets";
import { type Conversion, onPurchase } from "../retention/lifecycle";
import { MAX_PENDING_CONVERSIONS } from "../retention/retention-state";
import type { MemberFacts } from "../retention/triggers";
import { tierStatus } from "../tiers/tier-review";
import { addDays, type IsoDay } from "../time";
import type { MemberState } from "./member-state";
import { spendableBalance } from "./queries";

/** What the retention triggers need to know about a member on `today` (state already settled). */
export function retentionFacts(state: MemberState, program: Program, today: IsoDay): MemberFacts {
  const status = tierStatus(state, program, today);
  const lowest = program.tiers[0]?.id === status.tierId;
  return {
    memberId: state.memberId,
    retention: state.retention,
    spendablePoints: spendableBalance(state),
    expiries: state.points.lots.map((lot) => ({ expiresOn: lot.expiresOn, points: lot.points })),
    ...(state.scores && { probabilityAlive: state.scores.probabilityAlive }),
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
  occurredAt: string,
): Conversion[] {
  const outcome = onPurchase(state.retention, occurredAt, program.retention);
  state.retention = outcome.state;
  state.unreportedConversions = [...state.unreportedConversions, ...outcome.conversions].slice(
    -MAX_PENDING_CONVERSIONS,
  );
  return outcome.conversions;
}

/** Re-files the member after a purchase (see due-buckets.ts "Updated lazily"); call on the settled state. */
export function refileAfterPurchase(state: MemberState, program: Program, today: IsoDay): void {
  const dueOn = state.retention.dueOn;
  let next = nextCheckDay(retentionFacts(state, program, today), program.retention, today);
  const tomorrow = addDays(today, 1);
  if (state.unreportedConversions.length > 0 && tomorrow < next) next = tomorrow;
  const refiled = refileOnPurchase(dueOn, next, today);
  if (refiled !== undefined) state.retention = { ...state.retention, dueOn: refiled };
}
