import type { InteractionFacts } from "../facts";
import type { MemberState } from "../member/member-state";
import type { InteractionRule } from "../program/frequency-schema";
import type { Program } from "../program/program-schema";
import { periodKey, utcDay } from "../time";

export interface InteractionAward {
  rule: InteractionRule;
  points: number;
  /** Set when a cap cut the award, e.g. "capped at 40 points per month". */
  capNote?: string;
}

/**
 * Points an interaction earns under its rule's caps (every cap must hold: a count cap allows nothing once
 * reached, a points cap allows what is left). Undefined when no rule exists for the kind.
 */
export function interactionAward(
  state: MemberState,
  program: Program,
  interaction: InteractionFacts,
): InteractionAward | undefined {
  const rule = program.interactions.find((r) => r.kind === interaction.kind);
  if (!rule) return undefined;
  const day = utcDay(interaction.occurredAt);
  let points = rule.points;
  let capNote: string | undefined;
  for (const cap of rule.caps) {
    const key = periodKey(cap.period, day);
    const used = state.interactions.find(
      (c) => c.kind === rule.kind && c.period === cap.period && c.periodKey === key,
    ) ?? { count: 0, points: 0 };
    let allowed = points;
    if (cap.maxCount !== undefined && used.count >= cap.maxCount) allowed = 0;
    if (cap.maxPoints !== undefined) allowed = Math.min(allowed, Math.max(0, cap.maxPoints - used.points));
    if (allowed < points) {
      points = allowed;
      capNote =
        cap.maxCount !== undefined && used.count >= cap.maxCount
          ? `capped at ${cap.maxCount} per ${cap.period}`
          : `capped at ${cap.maxPoints} points per ${cap.period}`;
    }
  }
  return { rule, points, ...(capNote && { capNote }) };
}

/** Counts an awarded interaction against every cap period of its rule. Mutates `state`. */
export function recordInteraction(state: MemberState, award: InteractionAward, occurredAt: string): void {
  const day = utcDay(occurredAt);
  for (const cap of award.rule.caps) {
    const key = periodKey(cap.period, day);
    const counter = state.interactions.find(
      (c) => c.kind === award.rule.kind && c.period === cap.period && c.periodKey === key,
    );
    if (counter) {
      counter.count += 1;
      counter.points += award.points;
    } else {
      state.interactions.push({
        kind: award.rule.kind,
        period: cap.period,
        periodKey: key,
        count: 1,
        points: award.points,
      });
    }
  }
}
