import type { LedgerEntry } from "../ledger/ledger-entry";
import type { MemberState } from "../member/member-state";
import { copyData } from "../plain-data";
import type { Program } from "../program/program-schema";
import { type CountedEvent, countTowardsChallenges, inAudience } from "./challenge-progress";

/** One member's outlook on one challenge of a draft programme (the what-if preview). */
export interface ChallengeOutlook {
  challengeId: string;
  inAudience: boolean;
  /** Joined and not completed (opted in, or counted towards it). */
  joined: boolean;
  completed: boolean;
  /** Replaying `events` under the draft completes it (not already completed; opt-in ones only when joined). */
  wouldComplete: boolean;
}

/** The events a ledger page shows: purchases (lines as paid) and interactions. */
export function countedEvents(entries: readonly LedgerEntry[]): CountedEvent[] {
  const events = entries.flatMap((entry): CountedEvent[] => {
    const details = entry.details;
    if (entry.kind === "earn" && details?.type === "purchase")
      return [{ type: "purchase", occurredAt: entry.occurredAt, lines: details.lines }];
    if (details?.type === "interaction")
      return [{ type: "interaction", occurredAt: entry.occurredAt, kind: details.kind }];
    return [];
  });
  return events.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
}

/**
 * How a draft's challenges stand for one member, and which the member's recent events would complete: each
 * challenge is replayed on its own from no progress over `events` (an estimate — progress from before the
 * events is not counted, and interactions that left no ledger entry are not seen).
 */
export function challengeOutlook(
  state: MemberState,
  draft: Program,
  events: readonly CountedEvent[],
): ChallengeOutlook[] {
  return draft.challenges.map((challenge) => {
    const { challengeId } = challenge;
    const completed = state.challenges?.completed.includes(challengeId) ?? false;
    const active = state.challenges?.active.find((a) => a.challengeId === challengeId);
    let wouldComplete = false;
    if (!completed && (active || !challenge.optIn)) {
      const trial = copyData(state);
      const restart = active
        ? [{ challengeId, startsAt: active.startsAt, endsAt: active.endsAt, progress: 0 }]
        : [];
      trial.challenges = { active: restart, completed: [], badges: [] };
      const only: Program = { ...draft, challenges: [challenge] };
      wouldComplete = events.some((event) => countTowardsChallenges(trial, only, event).completed.length > 0);
    }
    return {
      challengeId,
      inAudience: inAudience(state, draft, challenge),
      joined: active !== undefined,
      completed,
      wouldComplete,
    };
  });
}
