import type { MemberState } from "../member/member-state";
import type { IsoDay } from "../time";

/** A challenge the member has joined and not completed: its own window and the progress inside it. */
export interface ChallengeProgress {
  challengeId: string;
  /** First instant an event counts for this member (window start, or the opt-in). */
  startsAt: string;
  /** The deadline: events at or after it do not count. */
  endsAt: string;
  /** Count, spend (minor units) or number of categories, by the goal's metric. */
  progress: number;
  /** distinctCategories goals: the categories bought so far (bounded by the program's categories). */
  categories?: string[];
}

/**
 * A member's challenges, bounded whatever the history: `active` holds joined challenges until no late event
 * can reach their window any more (so at most one per challenge of the programme, ≤ 50, plus ones a newer
 * version removed, which leave when their window has passed); `completed` and `badges` keep the newest
 * MAX_REMEMBERED. Completion is once per member and challenge id for ever: `completed` stops a second one here
 * while it remembers the id; the store keeps a completion record per member and challenge for ever and refuses
 * the commit of a second one, and the change is then decided again with the id remembered (`rememberCompleted`).
 */
export interface ChallengeState {
  active: ChallengeProgress[];
  /** Ids of completed challenges, oldest first. */
  completed: string[];
  /** Permanent badges, oldest first. */
  badges: { badgeId: string; awardedOn: IsoDay }[];
}

export const MAX_REMEMBERED = 100;

export function emptyChallengeState(): ChallengeState {
  return { active: [], completed: [], badges: [] };
}

/**
 * The member with these challenges known to be completed (the store holds their completion records though the
 * state had forgotten them): back in `completed`, out of `active`, so the change decided on it cannot complete
 * them again. Badges are not given again either: no completion, no reward.
 */
export function rememberCompleted(state: MemberState, challengeIds: readonly string[]): MemberState {
  if (challengeIds.length === 0) return state;
  const challenges = state.challenges ?? emptyChallengeState();
  const known = challenges.completed.filter((id) => !challengeIds.includes(id));
  return {
    ...state,
    challenges: {
      ...challenges,
      active: challenges.active.filter((a) => !challengeIds.includes(a.challengeId)),
      completed: [...known, ...challengeIds].slice(-MAX_REMEMBERED),
    },
  };
}

/**
 * Two members' challenges as one (domain/member/merge-members.ts): completed by either is completed, badges of
 * both stay (the earliest award of each), and of a challenge both joined the further progress counts (windows
 * differ, so progress is not added; categories of a distinct-categories goal are united).
 */
export function mergeChallengeStates(
  a: ChallengeState | undefined,
  b: ChallengeState | undefined,
): ChallengeState | undefined {
  if (!a || !b) return a ?? b;
  const completed = [...new Set([...a.completed, ...b.completed])].slice(-MAX_REMEMBERED);
  const badges = new Map<string, IsoDay>();
  for (const badge of [...a.badges, ...b.badges]) {
    const seen = badges.get(badge.badgeId);
    if (seen === undefined || badge.awardedOn < seen) badges.set(badge.badgeId, badge.awardedOn);
  }
  const active = new Map<string, ChallengeProgress>();
  for (const progress of [...a.active, ...b.active]) {
    if (completed.includes(progress.challengeId)) continue;
    const other = active.get(progress.challengeId);
    if (!other) active.set(progress.challengeId, progress);
    else if (other.categories || progress.categories) {
      const categories = [...new Set([...(other.categories ?? []), ...(progress.categories ?? [])])];
      active.set(progress.challengeId, { ...other, categories, progress: categories.length });
    } else if (progress.progress > other.progress) active.set(progress.challengeId, progress);
  }
  return {
    active: [...active.values()],
    completed,
    badges: [...badges]
      .map(([badgeId, awardedOn]) => ({ badgeId, awardedOn }))
      .sort((x, y) => x.awardedOn.localeCompare(y.awardedOn))
      .slice(-MAX_REMEMBERED),
  };
}
