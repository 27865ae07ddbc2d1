import { unlockReward } from "../frequency/frequency-rewards";
import type { LedgerEntry, OutboundEvent } from "../ledger/ledger-entry";
import { addSpendable } from "../ledger/lots";
import { clipReason, pointsEvent } from "../ledger/outbound";
import type { MemberState } from "../member/member-state";
import type { Challenge } from "../program/challenge-schema";
import type { Program } from "../program/program-schema";
import { addMonths, utcDay } from "../time";
import { MAX_REMEMBERED } from "./challenge-state";

/** The event that completed the challenges: the completion entries cite its key and time. */
export interface CompletingEvent {
  sourceKey: string;
  occurredAt: string;
}

export interface ChallengeRewards {
  entries: LedgerEntry[];
  /** Outbound events, given the spendable balance after the whole change. */
  outbound(balance: number): OutboundEvent[];
}

/**
 * The completion entry's id: challenge + member only, the same whatever event completed it. The ledger alone
 * cannot refuse a second one (its sort key carries the event's occurredAt): the commit that completes a challenge
 * also records the completion once for ever (functions/adapters/dynamo/keys.ts `challengeCompletionKey`).
 */
export function challengeEntryId(challengeId: string, memberId: string): string {
  return `challenge:${challengeId}:${memberId}`;
}

/** The challenges a change's entries complete, each with its completion entry. */
export function completionsIn<E extends LedgerEntry>(
  entries: readonly E[],
): { challengeId: string; entry: E }[] {
  return entries.flatMap((entry) =>
    entry.details?.type === "challenge" ? [{ challengeId: entry.details.challengeId, entry }] : [],
  );
}

/**
 * Rewards challenges `countTowardsChallenges` just completed: points (spendable at once, expiring like any
 * points earned that day), a catalogue reward unlocked, a permanent badge. Mutates `state`. One ledger entry
 * per completion (0 points when it gave none, so the completion is recorded and guarded all the same).
 */
export function rewardCompletions(
  state: MemberState,
  program: Program,
  completed: Challenge[],
  event: CompletingEvent,
): ChallengeRewards {
  const day = utcDay(event.occurredAt);
  const expiresOn = addMonths(day, program.expiry.validityMonths);
  const entries = completed.map((challenge): LedgerEntry => {
    const { points, rewardId, badge } = challenge.reward;
    if (points > 0) {
      addSpendable(state.points, expiresOn, points);
      state.lifetime.pointsEarned += points;
    }
    if (rewardId) unlockReward(state, rewardId);
    if (badge && state.challenges && !state.challenges.badges.some((b) => b.badgeId === badge.badgeId))
      state.challenges.badges = [
        ...state.challenges.badges,
        { badgeId: badge.badgeId, awardedOn: day },
      ].slice(-MAX_REMEMBERED);
    const gives = [
      ...(points > 0 ? [`${points} points`] : []),
      ...(rewardId ? [`reward ${rewardId}`] : []),
      ...(badge ? [`badge ${badge.name}`] : []),
    ];
    return {
      entryId: challengeEntryId(challenge.challengeId, state.memberId),
      memberId: state.memberId,
      kind: "bonus",
      points,
      statusPoints: 0,
      reason: clipReason(`Challenge ${challenge.name} completed: ${gives.join(", ")}`),
      ruleIds: [challenge.challengeId],
      programVersion: program.version,
      sourceKey: event.sourceKey,
      occurredAt: event.occurredAt,
      details: {
        type: "challenge",
        challengeId: challenge.challengeId,
        ...(points > 0 && { expiresOn }),
        ...(rewardId && { rewardId }),
        ...(badge && { badgeId: badge.badgeId }),
      },
    };
  });
  return {
    entries,
    outbound: (balance) =>
      entries.flatMap((entry, i) => {
        const challenge = completed[i];
        if (!challenge) return [];
        return completionEvents(entry, challenge, balance, expiresOn);
      }),
  };
}

function completionEvents(
  entry: LedgerEntry,
  challenge: Challenge,
  balance: number,
  expiresOn: string,
): OutboundEvent[] {
  const { rewardId, badge } = challenge.reward;
  const trace = {
    memberId: entry.memberId,
    programVersion: entry.programVersion,
    sourceKey: entry.sourceKey,
    occurredAt: entry.occurredAt,
  };
  return [
    ...pointsEvent("Points Earned", entry, balance, { expiresOn }),
    ...(rewardId
      ? [
          {
            type: "Reward Unlocked" as const,
            detail: { ...trace, rewardId, ruleId: challenge.challengeId, reason: entry.reason },
          },
        ]
      : []),
    {
      type: "Challenge Completed",
      detail: {
        ...trace,
        challengeId: challenge.challengeId,
        ledgerEntryId: entry.entryId,
        points: entry.points,
        ...(rewardId && { rewardId }),
        ...(badge && { badgeId: badge.badgeId }),
        reason: entry.reason,
      },
    },
  ];
}
