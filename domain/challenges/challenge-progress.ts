import type { MemberState } from "../member/member-state";
import type { Challenge } from "../program/challenge-schema";
import type { Program } from "../program/program-schema";
import { currentTier } from "../tiers/qualifying";
import { dayStart, type IsoDay } from "../time";
import {
  type ChallengeProgress,
  type ChallengeState,
  emptyChallengeState,
  MAX_REMEMBERED,
} from "./challenge-state";

// Joining and progress. A member joins a challenge at opt-in, or — when it needs none — at their first event
// that counts inside its window; the audience is checked then, and a joined member stays in whatever their
// tier, segment or stage does next. An event counts when its occurredAt lies in the member's window
// [startsAt, endsAt) — occurredAt, not processing time, like everything else about an event.

/** Interaction kind of an opt-in (attributes.challengeId names the challenge). */
export const CHALLENGE_OPT_IN = "challenge-opt-in";

const DAY_MS = 86_400_000;

/** What an event can contribute; purchase lines are as paid (after the order discount). */
export type CountedEvent =
  | { type: "purchase"; occurredAt: string; lines: { category: string; paidMinor: number }[] }
  | { type: "interaction"; occurredAt: string; kind: string };

export type OptInRefusal =
  | "unknown-challenge"
  | "no-opt-in"
  | "already-joined"
  | "already-completed"
  | "not-open"
  | "not-in-audience";

/** The member's challenge state, created empty on first use. */
export function challengesOf(state: MemberState): ChallengeState {
  state.challenges ??= emptyChallengeState();
  return state.challenges;
}

/** Whether the member is in the challenge's audience (every condition given must hold). */
export function inAudience(state: MemberState, program: Program, challenge: Challenge): boolean {
  const { tiers, segments, lifecycleStages } = challenge.audience;
  if (tiers && !tiers.includes(currentTier(state, program).id)) return false;
  if (segments && !(state.scores && segments.includes(state.scores.segment))) return false;
  return !(lifecycleStages && !lifecycleStages.includes(state.retention.stage));
}

/** The member's window when joining at `at`, or undefined when the challenge takes no one then. */
export function joinWindow(
  challenge: Challenge,
  at: string,
): { startsAt: string; endsAt: string } | undefined {
  const ms = Date.parse(at);
  const { window } = challenge;
  if (window.kind === "absolute") {
    if (ms >= Date.parse(window.endsAt)) return undefined;
    const startsAt = Math.max(ms, Date.parse(window.startsAt));
    return {
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(Date.parse(window.endsAt)).toISOString(),
    };
  }
  if (window.optInFrom && ms < Date.parse(window.optInFrom)) return undefined;
  if (window.optInUntil && ms >= Date.parse(window.optInUntil)) return undefined;
  return { startsAt: new Date(ms).toISOString(), endsAt: new Date(ms + window.days * DAY_MS).toISOString() };
}

/** A challenge without opt-in: its whole absolute window, when `at` lies in it (so late events count too). */
function fixedWindow(challenge: Challenge, at: number): { startsAt: string; endsAt: string } | undefined {
  const { window } = challenge;
  if (window.kind !== "absolute") return undefined;
  const startsAt = Date.parse(window.startsAt);
  const endsAt = Date.parse(window.endsAt);
  if (at < startsAt || at >= endsAt) return undefined;
  return { startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() };
}

/** Why the member cannot opt in at `at`, or undefined when they can. */
export function optInRefusal(
  state: MemberState,
  program: Program,
  challengeId: string,
  at: string,
): OptInRefusal | undefined {
  const challenge = program.challenges.find((c) => c.challengeId === challengeId);
  if (!challenge) return "unknown-challenge";
  if (!challenge.optIn) return "no-opt-in";
  if (state.challenges?.completed.includes(challengeId)) return "already-completed";
  if (state.challenges?.active.some((a) => a.challengeId === challengeId)) return "already-joined";
  if (!joinWindow(challenge, at)) return "not-open";
  return inAudience(state, program, challenge) ? undefined : "not-in-audience";
}

/** Opts the member in at `at` (mutates `state`); the refusal when they cannot, and nothing changes. */
export function optIntoChallenge(
  state: MemberState,
  program: Program,
  challengeId: string,
  at: string,
): OptInRefusal | undefined {
  const refusal = optInRefusal(state, program, challengeId, at);
  const challenge = program.challenges.find((c) => c.challengeId === challengeId);
  const window = challenge && joinWindow(challenge, at);
  if (refusal || !window) return refusal ?? "not-open";
  challengesOf(state).active.push({ challengeId, ...window, progress: 0 });
  return undefined;
}

/** What the event adds to the goal (categories for distinctCategories), 0 when it does not count. */
function contribution(challenge: Challenge, event: CountedEvent): { amount: number; categories: string[] } {
  const none = { amount: 0, categories: [] };
  const { goal } = challenge;
  if (goal.metric === "interactionCount")
    return event.type === "interaction" && event.kind === goal.kind ? { amount: 1, categories: [] } : none;
  if (event.type !== "purchase") return none;
  const lines = event.lines.filter(
    (l) => l.paidMinor > 0 && (!goal.categories || goal.categories.includes(l.category)),
  );
  const paid = lines.reduce((sum, l) => sum + l.paidMinor, 0);
  if (lines.length === 0) return none;
  if (goal.metric === "purchaseCount")
    return paid >= goal.minSpendMinor ? { amount: 1, categories: [] } : none;
  if (goal.metric === "spend") return { amount: paid, categories: [] };
  return { amount: 1, categories: [...new Set(lines.map((l) => l.category))] };
}

function addProgress(
  entry: ChallengeProgress,
  challenge: Challenge,
  added: { amount: number; categories: string[] },
) {
  if (challenge.goal.metric !== "distinctCategories") {
    entry.progress += added.amount;
    return;
  }
  const seen = new Set([...(entry.categories ?? []), ...added.categories]);
  entry.categories = [...seen].sort();
  entry.progress = seen.size;
}

/**
 * Counts one event towards every challenge of the programme it belongs to, joining the ones that need no
 * opt-in. Mutates `state`; answers how many challenges it counted for, and the ones it completed (already
 * removed from `active` and added to `completed`) for the caller to reward.
 */
export function countTowardsChallenges(
  state: MemberState,
  program: Program,
  event: CountedEvent,
): { counted: number; completed: Challenge[] } {
  const completedNow: Challenge[] = [];
  let counted = 0;
  const at = Date.parse(event.occurredAt);
  for (const challenge of program.challenges) {
    if (state.challenges?.completed.includes(challenge.challengeId)) continue;
    const added = contribution(challenge, event);
    if (added.amount === 0) continue;
    let entry = state.challenges?.active.find((a) => a.challengeId === challenge.challengeId);
    if (!entry) {
      const window = challenge.optIn ? undefined : fixedWindow(challenge, at);
      if (!window || !inAudience(state, program, challenge)) continue;
      entry = { challengeId: challenge.challengeId, ...window, progress: 0 };
      challengesOf(state).active.push(entry);
    }
    if (at < Date.parse(entry.startsAt) || at >= Date.parse(entry.endsAt)) continue;
    addProgress(entry, challenge, added);
    counted += 1;
    if (entry.progress < challenge.goal.target) continue;
    const challenges = challengesOf(state);
    challenges.active = challenges.active.filter((a) => a !== entry);
    challenges.completed = [...challenges.completed, challenge.challengeId].slice(-MAX_REMEMBERED);
    completedNow.push(challenge);
  }
  return { counted, completed: completedNow };
}

/** Drops joined challenges no event can count for any more: their deadline is before the late window's start. */
export function pruneChallenges(state: MemberState, oldestOpenDay: IsoDay): void {
  const challenges = state.challenges;
  if (!challenges) return;
  const cutoff = Date.parse(dayStart(oldestOpenDay));
  challenges.active = challenges.active.filter((a) => Date.parse(a.endsAt) > cutoff);
}
