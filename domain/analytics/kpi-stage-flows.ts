// Lifecycle stage flows month over month: for a month, how many members went from each stage at its start to
// each stage at its end (a from → to matrix; from === to is "stayed", including a member who left and came
// back within the month). Members who enrolled in the month come from "enrolled". While the month lasts, its
// end is the run; the first run of the next month closes it (functions/analytics/job-kpis.ts), so a change on
// its last day — after that day's 01:00 run — still counts. Pure: stage-months.ts reads the member's history.

import type { LifecycleStage } from "../retention/retention-state";
import { type StageHistory, stageAtStartOf } from "../retention/stage-months";
import { addMonthsToMonth, type IsoMonth, monthOf } from "../time";
import { LIFECYCLE_STAGES } from "./kpis";

export type FlowOrigin = LifecycleStage | "enrolled";
export const FLOW_ORIGINS: readonly FlowOrigin[] = ["enrolled", ...LIFECYCLE_STAGES];

export interface StageFlow {
  from: FlowOrigin;
  to: LifecycleStage;
  members: number;
}

export interface StageFlows {
  month: IsoMonth;
  /** The cells with members, from-stage then to-stage in lifecycle order. */
  flows: StageFlow[];
  /** Members whose state cannot tell their stage at the month's start (written before it was kept). */
  unknown: number;
}

/** The month's stage flows over the members enrolled by its end. */
export function stageFlows(members: readonly StageHistory[], month: IsoMonth): StageFlows {
  const next = addMonthsToMonth(month, 1);
  const counts = new Map<string, number>();
  let unknown = 0;
  for (const member of members) {
    const enrolled = monthOf(member.enrolledOn);
    if (enrolled > month) continue;
    const from = enrolled === month ? "enrolled" : stageAtStartOf(member, month);
    const to = stageAtStartOf(member, next);
    if (from === undefined || to === undefined) {
      unknown++;
      continue;
    }
    const key = `${from}>${to}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const flows = FLOW_ORIGINS.flatMap((from) =>
    LIFECYCLE_STAGES.map((to) => ({ from, to, members: counts.get(`${from}>${to}`) ?? 0 })),
  ).filter((flow) => flow.members > 0);
  return { month, flows, unknown };
}
