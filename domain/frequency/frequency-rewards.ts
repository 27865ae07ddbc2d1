import type { PurchaseFacts } from "../facts";
import type { MemberState } from "../member/member-state";
import type { Program } from "../program/program-schema";
import { daysBetween, type IsoDay } from "../time";

export interface FrequencyBonus {
  ruleId: string;
  points: number;
  reason: string;
}

export interface FrequencyUnlock {
  ruleId: string;
  rewardId: string;
  reason: string;
}

export interface FrequencyOutcome {
  bonuses: FrequencyBonus[];
  unlocks: FrequencyUnlock[];
}

/** Adds one unused copy of a reward. Mutates `state`. */
export function unlockReward(state: MemberState, rewardId: string): void {
  const entry = state.rewards.unlocked.find((r) => r.rewardId === rewardId);
  if (entry) entry.count += 1;
  else state.rewards.unlocked.push({ rewardId, count: 1 });
}

/** Takes back up to `copies` unused copies of an unlocked reward (a used one cannot come back); returns how many. */
export function takeBackReward(state: MemberState, rewardId: string, copies: number): number {
  const entry = state.rewards.unlocked.find((r) => r.rewardId === rewardId);
  const taken = Math.min(copies, entry?.count ?? 0);
  if (entry) entry.count -= taken;
  state.rewards.unlocked = state.rewards.unlocked.filter((r) => r.count > 0);
  return taken;
}

/** One punch per qualifying purchase (a paid line in the card's categories); a full card unlocks its reward. */
function applyPunchCards(state: MemberState, program: Program, purchase: PurchaseFacts, paid: number[]) {
  const unlocks: FrequencyUnlock[] = [];
  for (const card of program.punchCards) {
    const qualifies = purchase.lines.some(
      (line, i) => (paid[i] ?? 0) > 0 && (!card.categories || card.categories.includes(line.category)),
    );
    if (!qualifies) continue;
    let progress = state.frequency.punchCards.find((p) => p.ruleId === card.ruleId);
    if (!progress) {
      progress = { ruleId: card.ruleId, punches: 0 };
      state.frequency.punchCards.push(progress);
    }
    progress.punches += 1;
    if (progress.punches >= card.punchesRequired) {
      progress.punches -= card.punchesRequired;
      unlockReward(state, card.rewardId);
      unlocks.push({
        ruleId: card.ruleId,
        rewardId: card.rewardId,
        reason: `${card.name} complete: ${card.punchesRequired} qualifying purchases`,
      });
    }
  }
  return unlocks;
}

/**
 * A visit is a day with a purchase (several baskets on one day are one visit, so splitting a basket does not
 * game the streak). When `visits` visits fall within `withinDays` days the bonus is earned and the streak
 * restarts. Only the visits still inside the span are kept (at most visits − 1).
 */
function applyStreaks(state: MemberState, program: Program, day: IsoDay): FrequencyBonus[] {
  const bonuses: FrequencyBonus[] = [];
  for (const streak of program.streaks) {
    let progress = state.frequency.streaks.find((s) => s.ruleId === streak.ruleId);
    if (!progress) {
      progress = { ruleId: streak.ruleId, visitDays: [] };
      state.frequency.streaks.push(progress);
    }
    const days = [...new Set([...progress.visitDays, day])].sort();
    const latest = days[days.length - 1] ?? day;
    const inSpan = days.filter((d) => daysBetween(d, latest) < streak.withinDays);
    if (inSpan.length >= streak.visits) {
      progress.visitDays = [];
      bonuses.push({
        ruleId: streak.ruleId,
        points: streak.bonusPoints,
        reason: `${streak.name}: ${streak.visits} visits within ${streak.withinDays} days, ${streak.bonusPoints} bonus points`,
      });
    } else {
      progress.visitDays = inSpan.slice(-(streak.visits - 1));
    }
  }
  return bonuses;
}

/** Lifetime milestones, each reached once. Reads the lifetime counters, so call after updating them. */
function applyMilestones(state: MemberState, program: Program): FrequencyOutcome {
  const outcome: FrequencyOutcome = { bonuses: [], unlocks: [] };
  for (const milestone of program.milestones) {
    if (state.frequency.milestonesReached.includes(milestone.ruleId)) continue;
    const value = milestone.metric === "purchaseCount" ? state.lifetime.purchases : state.lifetime.spendMinor;
    if (value < milestone.threshold) continue;
    state.frequency.milestonesReached.push(milestone.ruleId);
    const reason = `Milestone ${milestone.name} reached`;
    if (milestone.bonusPoints > 0)
      outcome.bonuses.push({
        ruleId: milestone.ruleId,
        points: milestone.bonusPoints,
        reason: `${reason}: ${milestone.bonusPoints} bonus points`,
      });
    if (milestone.rewardId) {
      unlockReward(state, milestone.rewardId);
      outcome.unlocks.push({ ruleId: milestone.ruleId, rewardId: milestone.rewardId, reason });
    }
  }
  return outcome;
}

/** Punch cards, streaks and milestones for one purchase. Mutates `state`; lifetime counters must be updated. */
export function applyFrequencyRules(
  state: MemberState,
  program: Program,
  purchase: PurchaseFacts,
  paid: number[],
  day: IsoDay,
): FrequencyOutcome {
  const unlocks = applyPunchCards(state, program, purchase, paid);
  const streakBonuses = applyStreaks(state, program, day);
  const milestones = applyMilestones(state, program);
  return {
    bonuses: [...streakBonuses, ...milestones.bonuses],
    unlocks: [...unlocks, ...milestones.unlocks],
  };
}
