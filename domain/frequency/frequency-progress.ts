import type { MemberState } from "../member/member-state";
import { formatMinor } from "../money";
import type { Milestone, PunchCard, Streak } from "../program/frequency-schema";
import type { Program } from "../program/program-schema";
import { addDays, daysBetween, type IsoDay } from "../time";

// How close a member is to each frequency reward, read from the state alone (frequency-rewards.ts keeps it).
// Each item carries its figures and a one-line summary for members.

export interface PunchCardProgress {
  ruleId: string;
  name: string;
  punches: number;
  punchesRequired: number;
  remaining: number;
  /** Categories a purchase needs a paid line in; absent when any purchase punches. */
  categories?: string[];
  rewardId: string;
  rewardName?: string;
  summary: string;
}

export interface StreakProgress {
  ruleId: string;
  name: string;
  /** Visit days still inside the span as of today. */
  visits: number;
  visitsRequired: number;
  withinDays: number;
  bonusPoints: number;
  /** Last day the missing visits can come for the visits so far to count; absent with no visit counting. */
  completeBy?: IsoDay;
  summary: string;
}

export interface MilestoneProgress {
  ruleId: string;
  name: string;
  metric: "purchaseCount" | "lifetimeSpend";
  /** Purchases, or lifetime spend in minor units. */
  threshold: number;
  current: number;
  remaining: number;
  reached: boolean;
  bonusPoints: number;
  rewardId?: string;
  rewardName?: string;
  summary: string;
}

export interface FrequencyProgress {
  punchCards: PunchCardProgress[];
  streaks: StreakProgress[];
  milestones: MilestoneProgress[];
  /** The unreached milestone nearest to completion (by share of its threshold; ties in program order). */
  nextMilestone?: string;
}

export function frequencyProgress(state: MemberState, program: Program, today: IsoDay): FrequencyProgress {
  const rewardName = (rewardId: string | undefined) =>
    program.rewards.find((r) => r.rewardId === rewardId)?.name;
  const milestones = program.milestones.map((m) =>
    milestoneProgress(state, program, m, rewardName(m.rewardId)),
  );
  const next = milestones
    .filter((m) => !m.reached)
    .reduce<MilestoneProgress | undefined>(
      (best, m) => (!best || m.current / m.threshold > best.current / best.threshold ? m : best),
      undefined,
    );
  return {
    punchCards: program.punchCards.map((card) => punchCardProgress(state, card, rewardName(card.rewardId))),
    streaks: program.streaks.map((streak) => streakProgress(state, streak, today)),
    milestones,
    ...(next && { nextMilestone: next.ruleId }),
  };
}

const reward = (name: string | undefined, fallback: string) => (name ? `a ${name}` : fallback);

function punchCardProgress(state: MemberState, card: PunchCard, rewardName?: string): PunchCardProgress {
  const punches = state.frequency.punchCards.find((p) => p.ruleId === card.ruleId)?.punches ?? 0;
  const remaining = card.punchesRequired - punches;
  return {
    ruleId: card.ruleId,
    name: card.name,
    punches,
    punchesRequired: card.punchesRequired,
    remaining,
    ...(card.categories && { categories: card.categories }),
    rewardId: card.rewardId,
    ...(rewardName && { rewardName }),
    summary: `${punches} of ${card.punchesRequired} qualifying purchases: ${remaining} more for ${reward(rewardName, "its reward")}`,
  };
}

/** Counts visits as applyStreaks would if the member came today: those less than withinDays before it. */
function streakProgress(state: MemberState, streak: Streak, today: IsoDay): StreakProgress {
  const days = state.frequency.streaks.find((s) => s.ruleId === streak.ruleId)?.visitDays ?? [];
  const counting = days.filter((d) => d <= today && daysBetween(d, today) < streak.withinDays).sort();
  const oldest = counting[0];
  const completeBy = oldest === undefined ? undefined : addDays(oldest, streak.withinDays - 1);
  const head = `${counting.length} of ${streak.visits} visits within ${streak.withinDays} days`;
  const more = streak.visits - counting.length;
  return {
    ruleId: streak.ruleId,
    name: streak.name,
    visits: counting.length,
    visitsRequired: streak.visits,
    withinDays: streak.withinDays,
    bonusPoints: streak.bonusPoints,
    ...(completeBy && { completeBy }),
    summary: completeBy
      ? `${head}: ${more} more by ${completeBy} for ${streak.bonusPoints} bonus points`
      : `${head}: ${streak.bonusPoints} bonus points`,
  };
}

function milestoneProgress(
  state: MemberState,
  program: Program,
  milestone: Milestone,
  rewardName?: string,
): MilestoneProgress {
  const byCount = milestone.metric === "purchaseCount";
  const current = byCount ? state.lifetime.purchases : state.lifetime.spendMinor;
  const reached = state.frequency.milestonesReached.includes(milestone.ruleId);
  const remaining = reached ? 0 : Math.max(0, milestone.threshold - current);
  const amount = (n: number) => (byCount ? `${n}` : formatMinor(program.currency, n));
  const prize = [
    ...(milestone.bonusPoints > 0 ? [`${milestone.bonusPoints} bonus points`] : []),
    ...(milestone.rewardId ? [reward(rewardName, "a reward")] : []),
  ].join(" and ");
  const what = byCount ? "purchases" : "lifetime spend";
  return {
    ruleId: milestone.ruleId,
    name: milestone.name,
    metric: milestone.metric,
    threshold: milestone.threshold,
    current,
    remaining,
    reached,
    bonusPoints: milestone.bonusPoints,
    ...(milestone.rewardId && { rewardId: milestone.rewardId }),
    ...(rewardName && { rewardName }),
    summary: reached
      ? "Reached"
      : `${amount(current)} of ${amount(milestone.threshold)} ${what}: ${amount(remaining)} more for ${prize}`,
  };
}
