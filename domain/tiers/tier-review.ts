import type { OutboundEvent } from "../ledger/ledger-entry";
import type { MemberState } from "../member/member-state";
import { formatMinor } from "../money";
import type { Program } from "../program/program-schema";
import type { Tier } from "../program/tier-schema";
import { addDays, dayStart, type IsoDay, utcDay } from "../time";
import { currentTierIndex, nextReview, qualifyingMetric, tierIndexFor, windowMonths } from "./qualifying";

function tierChanged(
  state: MemberState,
  program: Program,
  from: Tier,
  to: Tier,
  reason: string,
  sourceKey: string,
  occurredAt: string,
): OutboundEvent {
  return {
    type: "Tier Changed",
    detail: {
      memberId: state.memberId,
      fromTier: from.id,
      toTier: to.id,
      direction: program.tiers.indexOf(to) > program.tiers.indexOf(from) ? "up" : "down",
      reason,
      ruleIds: [program.tierQualification.ruleId],
      programVersion: program.version,
      sourceKey,
      occurredAt,
    },
  };
}

/**
 * Upgrades as soon as the metric reaches a higher threshold (possibly several tiers at once), and ends a grace
 * period once the member requalifies for the current tier. Never downgrades. Mutates `state`.
 */
export function applyUpgrade(
  state: MemberState,
  program: Program,
  occurredAt: string,
  sourceKey: string,
): OutboundEvent[] {
  const day = utcDay(occurredAt);
  const metric = qualifyingMetric(state, program, day);
  const current = currentTierIndex(state, program);
  const qualified = tierIndexFor(program, metric);
  if (qualified >= current && state.tier.graceUntil !== undefined) {
    // Requalified during grace: the missed review is settled, the next one is a full cycle later.
    delete state.tier.graceUntil;
    state.tier.reviewOn = nextReview(program, state.tier.reviewOn);
  }
  if (qualified <= current) return [];
  const from = program.tiers[current] as Tier;
  const to = program.tiers[qualified] as Tier;
  state.tier = { tierId: to.id, since: occurredAt, reviewOn: nextReview(program, day) };
  const unit = program.tierQualification.metric === "statusPoints" ? "status points" : "qualifying spend";
  return [
    tierChanged(
      state,
      program,
      from,
      to,
      `Reached ${to.name}: ${metric} ${unit} ≥ ${to.threshold}`,
      `tier-up:${sourceKey}`,
      occurredAt,
    ),
  ];
}

/**
 * Runs every review due by `now`. At a review the metric over the window just ended must reach the current
 * tier's threshold; if not, the member gets the grace period (if any) and, failing that, drops ONE tier.
 * Mutates `state`.
 */
export function applyDueReviews(state: MemberState, program: Program, now: Date | string): OutboundEvent[] {
  const today = utcDay(now);
  const grace = program.tierQualification.gracePeriodDays;
  const events: OutboundEvent[] = [];
  for (;;) {
    const due: IsoDay = state.tier.graceUntil ?? state.tier.reviewOn;
    if (due > today) return events;
    const index = currentTierIndex(state, program);
    const tier = program.tiers[index] as Tier;
    const metric = qualifyingMetric(state, program, addDays(due, -1));
    const inGrace = state.tier.graceUntil !== undefined;
    if (index === 0 || metric >= tier.threshold) {
      delete state.tier.graceUntil;
      state.tier.reviewOn = nextReview(program, state.tier.reviewOn);
    } else if (!inGrace && grace > 0) {
      state.tier.graceUntil = addDays(state.tier.reviewOn, grace);
    } else {
      const lower = program.tiers[index - 1] as Tier;
      state.tier = {
        tierId: lower.id,
        since: dayStart(due),
        reviewOn: nextReview(program, state.tier.reviewOn),
      };
      const why = inGrace ? `after a ${grace}-day grace period` : "at review";
      events.push(
        tierChanged(
          state,
          program,
          tier,
          lower,
          `Moved to ${lower.name} ${why}: ${metric} of ${tier.threshold} needed to keep ${tier.name}`,
          `tier-review:${state.memberId}:${due}`,
          dayStart(due),
        ),
      );
    }
  }
}

export interface TierStatus {
  tierId: string;
  tierName: string;
  since: string;
  /** The tier is kept at least until this day (the review, or the end of the grace period). */
  keepsUntil: IsoDay;
  inGrace: boolean;
  perks: string[];
  /** What the member must reach by `keepsUntil` to keep the tier. */
  toKeep: TierKeep;
  /** Absent at the top tier. */
  nextTier?: { tierId: string; tierName: string; threshold: number; remaining: number };
}

/**
 * What the review on `keepsUntil` will judge: the qualifying metric over the window ending the day before.
 * The window is whole months, so right after an upgrade it often starts after the upgrade month and holds 0.
 */
export interface TierKeep {
  metric: "statusPoints" | "qualifyingSpend";
  required: number;
  /** What counts so far: the metric over countsFrom–countsUntil (buckets only hold the past). */
  current: number;
  remaining: number;
  /** First and last day (UTC) whose status points or spend count for the review. */
  countsFrom: IsoDay;
  countsUntil: IsoDay;
  /** The figures in words, e.g. why `current` is 0 right after an upgrade. */
  explanation: string;
}

function tierKeep(state: MemberState, program: Program, tier: Tier, keepsUntil: IsoDay): TierKeep {
  const { metric, window } = program.tierQualification;
  const countsUntil = addDays(keepsUntil, -1);
  const countsFrom = `${windowMonths(program, countsUntil).first}-01`;
  const current = qualifyingMetric(state, program, countsUntil);
  const required = tier.threshold;
  const remaining = Math.max(0, required - current);
  const amount = (n: number) =>
    metric === "statusPoints"
      ? `${n} status points`
      : `${formatMinor(program.currency, n)} of qualifying spend`;
  const span = `from ${countsFrom} to ${countsUntil}`;
  let explanation: string;
  if (required === 0) explanation = `${tier.name} is the starting tier: nothing is needed to keep it.`;
  else if (remaining === 0)
    explanation = `${tier.name} is kept at its review on ${keepsUntil}: ${amount(current)} ${span}, ${amount(required)} needed.`;
  else {
    explanation =
      `To keep ${tier.name} at its review on ${keepsUntil} you need ${amount(required)} ${span}: ` +
      `${amount(current)} so far, ${amount(remaining)} to go.`;
    if (window.type === "rolling" && utcDay(state.tier.since) < countsFrom)
      explanation += ` Only that window counts: what reached ${tier.name} before ${countsFrom} does not keep it.`;
  }
  return { metric, required, current, remaining, countsFrom, countsUntil, explanation };
}

/** "What keeps my tier, until when" and "how far to the next tier". */
export function tierStatus(state: MemberState, program: Program, now: Date | string): TierStatus {
  const today = utcDay(now);
  const index = currentTierIndex(state, program);
  const tier = program.tiers[index] as Tier;
  const keepsUntil = state.tier.graceUntil ?? state.tier.reviewOn;
  const currentMetric = qualifyingMetric(state, program, today);
  const next = program.tiers[index + 1];
  return {
    tierId: tier.id,
    tierName: tier.name,
    since: state.tier.since,
    keepsUntil,
    inGrace: state.tier.graceUntil !== undefined,
    perks: tier.perks,
    toKeep: tierKeep(state, program, tier, keepsUntil),
    ...(next && {
      nextTier: {
        tierId: next.id,
        tierName: next.name,
        threshold: next.threshold,
        remaining: Math.max(0, next.threshold - currentMetric),
      },
    }),
  };
}
