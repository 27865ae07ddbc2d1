// Lifecycle stages. Time moves a member only "down" (new/active/won-back → at-risk → lapsed → churned); only a
// purchase moves them back up (→ active, or → won-back when a retention message converted). Every change carries
// a reason so the stage shown on the member can be explained.
import { addDays, daysBetween, type IsoDay, utcDay } from "../time";
import type { RetentionConfig } from "./retention-config";
import type { LifecycleStage, PendingConversion, RetentionState } from "./retention-state";
import { type ExpectedPurchase, expectedNextPurchase, recordPurchaseDay } from "./rhythm";
import { withStageChange } from "./stage-months";
import type { TriggerFamily } from "./trigger-family";

export interface StageTransition {
  from: LifecycleStage;
  to: LifecycleStage;
  on: IsoDay;
  reason: string;
}

export const LEGAL_TRANSITIONS: Readonly<Record<LifecycleStage, readonly LifecycleStage[]>> = {
  new: ["active", "at-risk"],
  active: ["at-risk"],
  "at-risk": ["lapsed", "active", "won-back"],
  lapsed: ["churned", "active", "won-back"],
  "won-back": ["active", "at-risk"],
  churned: ["active"],
};

/** Triggers whose conversion means the member was won back (the others only count for their own report). */
const RETENTION_FAMILIES: ReadonlySet<TriggerFamily> = new Set(["at-risk-nudge", "win-back"]);

export interface StageDays {
  expected: ExpectedPurchase;
  /** First day without a purchase on which the member is at risk. */
  atRiskOn: IsoDay;
  lapsedOn: IsoDay;
  /** Only while lapsed: the day the win-back journey ends and the member is churned. */
  churnOn?: IsoDay;
}

/** The days the member moves down a stage if they do not buy, from their rhythm (see rhythm.ts). */
export function stageDays(
  state: RetentionState,
  config: RetentionConfig,
  probabilityAlive?: number,
): StageDays {
  const expected = expectedNextPurchase(state.rhythm, state.enrolledOn, config, probabilityAlive);
  const anchor = state.rhythm.lastDay ?? state.enrolledOn;
  const { atRiskFactor, lapsedFactor } = config.lifecycle;
  const days: StageDays = {
    expected,
    atRiskOn: addDays(anchor, Math.ceil(expected.gapDays * atRiskFactor)),
    lapsedOn: addDays(anchor, Math.ceil(expected.gapDays * lapsedFactor)),
  };
  if (state.stage === "lapsed") days.churnOn = addDays(state.stageSince, journeyLengthDays(config));
  return days;
}

/** Days from lapsing to churn: the last win-back step plus the grace after it (the same for the control group). */
export function journeyLengthDays(config: RetentionConfig): number {
  const { enabled, steps, endAfterDays } = config.triggers.winBack;
  const lastStep = enabled ? (steps[steps.length - 1]?.afterDays ?? 0) : 0;
  return lastStep + endAfterDays;
}

/** Moves the member down as many stages as are due by `now`, one legal transition at a time. */
export function evaluateLifecycle(
  state: RetentionState,
  config: RetentionConfig,
  now: Date | string,
  probabilityAlive?: number,
): { state: RetentionState; transitions: StageTransition[] } {
  const today = utcDay(now);
  let next = state;
  const transitions: StageTransition[] = [];
  for (;;) {
    const due = dueTransition(next, config, today, probabilityAlive);
    if (!due) return { state: next, transitions };
    transitions.push(due);
    next = {
      ...withStageChange(next, due.to, today),
      winBackStepsDone: due.to === "lapsed" ? 0 : next.winBackStepsDone,
    };
  }
}

function dueTransition(
  state: RetentionState,
  config: RetentionConfig,
  today: IsoDay,
  probabilityAlive: number | undefined,
): StageTransition | undefined {
  const days = stageDays(state, config, probabilityAlive);
  const quiet = `no purchase for ${daysBetween(state.rhythm.lastDay ?? state.enrolledOn, today)} days`;
  const rhythm = `expected every ${days.expected.gapDays} days (${days.expected.source})`;
  const from = state.stage;
  switch (from) {
    case "new":
    case "active":
    case "won-back":
      if (today < days.atRiskOn) return undefined;
      return { from, to: "at-risk", on: today, reason: `${quiet}; ${rhythm}` };
    case "at-risk":
      if (today < days.lapsedOn) return undefined;
      return { from, to: "lapsed", on: today, reason: `${quiet}; ${rhythm}` };
    case "lapsed":
      if (days.churnOn === undefined || today < days.churnOn) return undefined;
      return { from, to: "churned", on: today, reason: "win-back journey ended without a purchase" };
    case "churned":
      return undefined;
  }
}

export interface Conversion {
  family: TriggerFamily;
  kind: string;
  messageKey: string;
  triggeredOn: IsoDay;
  convertedOn: IsoDay;
  daysToConvert: number;
  /** A control-group conversion: counts toward the control rate, not toward `converted`. */
  control: boolean;
  /** What the converting purchase spent (minor units): the campaign report's incremental revenue. */
  spendMinor?: number;
}

export interface PurchaseOutcome {
  state: RetentionState;
  transitions: StageTransition[];
  /** Every pending trigger this purchase converts (each trigger is measured on its own). */
  conversions: Conversion[];
  /** Set when a sent at-risk/win-back message converted: emit `Member Won Back`. */
  wonBack?: Conversion;
}

/**
 * Applies one purchase (call once per new purchase; the ledger already dropped duplicates). Updates the rhythm,
 * converts the pending triggers whose window holds the purchase day, and moves the stage up. A late event dated
 * before the current stage began does not change the stage, so replays cannot make a member flap; a won-back
 * member becomes active on a purchase on a later day, not on a second order the day they came back.
 */
export function onPurchase(
  state: RetentionState,
  occurredAt: Date | string,
  config: RetentionConfig,
  spendMinor = 0,
): PurchaseOutcome {
  const day = utcDay(occurredAt);
  const conversions: Conversion[] = [];
  const pending: PendingConversion[] = [];
  for (const p of state.pending) {
    if (p.triggeredOn <= day && day <= p.until) {
      conversions.push({
        family: p.family,
        kind: p.kind,
        messageKey: p.messageKey,
        triggeredOn: p.triggeredOn,
        convertedOn: day,
        daysToConvert: daysBetween(p.triggeredOn, day),
        control: p.control,
        spendMinor,
      });
    } else if (p.until >= day) pending.push(p);
  }
  const rhythm = recordPurchaseDay(state.rhythm, day, config);
  const next: RetentionState = { ...state, rhythm, pending };
  const retention = conversions.filter((c) => RETENTION_FAMILIES.has(c.family));
  const wonBack = retention
    .filter((c) => !c.control)
    .sort((a, b) => b.triggeredOn.localeCompare(a.triggeredOn))[0];
  const to =
    day < state.stageSince || (state.stage === "won-back" && day === state.stageSince)
      ? undefined
      : stageAfterPurchase(state.stage, rhythm.purchaseDays, wonBack, config);
  if (!to) return { state: next, transitions: [], conversions };
  const transition: StageTransition = {
    from: state.stage,
    to,
    on: day,
    reason: purchaseReason(state.stage, wonBack, retention.length > 0),
  };
  return {
    state: { ...withStageChange(next, to, day), winBackStepsDone: 0 },
    transitions: [transition],
    conversions,
    ...(to === "won-back" && wonBack ? { wonBack } : {}),
  };
}

function stageAfterPurchase(
  stage: LifecycleStage,
  purchaseDays: number,
  wonBack: Conversion | undefined,
  config: RetentionConfig,
): LifecycleStage | undefined {
  switch (stage) {
    case "active":
      return undefined;
    case "new":
      return purchaseDays >= config.lifecycle.activeAfterPurchaseDays ? "active" : undefined;
    case "at-risk":
    case "lapsed":
      return wonBack ? "won-back" : "active";
    case "won-back":
    case "churned":
      return "active";
  }
}

function purchaseReason(from: LifecycleStage, wonBack: Conversion | undefined, inJourney: boolean): string {
  if (wonBack && (from === "at-risk" || from === "lapsed")) {
    return `purchase ${wonBack.daysToConvert} days after ${wonBack.kind}`;
  }
  if (from === "new") return "repeat purchase";
  if (from === "churned") return "purchase after churn";
  if (from === "won-back") return "repeat purchase after being won back";
  return inJourney ? "purchase by a control-group member (no messages sent)" : `purchase while ${from}`;
}
