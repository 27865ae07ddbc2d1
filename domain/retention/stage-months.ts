// The member's lifecycle stage at the start of a month, for the monthly stage flows (from → to) of the KPIs
// (domain/analytics/kpi-stage-flows.ts). The state keeps its current stage and when it began; a stage change
// also keeps the stage at the start of the change's month and of the month before (`monthStart`, a few bytes),
// so the first KPI run of a month can still close the month before — its last day included — after the member
// changed stage again in the new month.
import { addMonthsToMonth, type IsoDay, type IsoMonth, monthOf } from "../time";
import type { LifecycleStage } from "./retention-state";

export interface MonthStartStages {
  /** The month of the latest stage change. */
  month: IsoMonth;
  /** The stage at the start of `month`; absent when the member enrolled in it (or the state could not tell). */
  stage?: LifecycleStage;
  /** The stage at the start of the month before; absent when the member enrolled in it or later (or unknown). */
  before?: LifecycleStage;
}

export interface StageHistory {
  enrolledOn: IsoDay;
  stage: LifecycleStage;
  stageSince: IsoDay;
  /** Absent before the first stage change (and in states written before it was kept). */
  monthStart?: MonthStartStages;
}

/**
 * The stage at the start of `month` (00:00 UTC on its first day), or undefined when the member was not enrolled
 * yet or the state cannot tell (a state written before `monthStart` was kept, whose stage changed since).
 */
export function stageAtStartOf(history: StageHistory, month: IsoMonth): LifecycleStage | undefined {
  if (monthOf(history.enrolledOn) >= month) return undefined;
  // No change since the month began: the current stage held all along.
  if (monthOf(history.stageSince) < month) return history.stage;
  const kept = history.monthStart;
  if (kept?.month === month) return kept.stage;
  if (kept && addMonthsToMonth(month, 1) === kept.month) return kept.before;
  return undefined;
}

/** The history after the stage changes to `to` on `day` (a day on or after the current stage began). */
export function withStageChange<H extends StageHistory>(history: H, to: LifecycleStage, day: IsoDay): H {
  const month = monthOf(day);
  const stage = stageAtStartOf(history, month);
  const before = stageAtStartOf(history, addMonthsToMonth(month, -1));
  return {
    ...history,
    stage: to,
    stageSince: day,
    monthStart: { month, ...(stage && { stage }), ...(before && { before }) },
  };
}
