import type { MemberState } from "../member/member-state";
import type { Challenge } from "../program/challenge-schema";
import type { Program } from "../program/program-schema";
import { toIsoInstant } from "../time";
import { inAudience, joinWindow } from "./challenge-progress";

export interface ChallengeView {
  challengeId: string;
  name: string;
  /** available: the member can opt in (or their first counting event joins them); in-progress: joined. */
  status: "available" | "in-progress" | "completed";
  optIn: boolean;
  metric: Challenge["goal"]["metric"];
  target: number;
  progress: number;
  remaining: number;
  /** Events at or after this instant no longer count; absent for a rolling challenge not yet joined. */
  deadline?: string;
  /** A rolling challenge not yet joined: how many days it runs from the opt-in. */
  days?: number;
  reward: { points: number; rewardId?: string; badge?: { badgeId: string; name: string } };
  summary: string;
}

export interface BadgeView {
  badgeId: string;
  name: string;
  awardedOn: string;
}

const UNITS: Record<Challenge["goal"]["metric"], string> = {
  purchaseCount: "qualifying purchases",
  spend: "spent (minor units)",
  distinctCategories: "categories",
  interactionCount: "times",
};

/**
 * The programme's challenges as they stand for the member at `now`: the ones completed, in progress (with
 * their deadline) and open to them; ones they missed, that ended, or whose audience excludes them are left
 * out. Badges are listed for ever, named from the programme (or by id when no challenge names them any more).
 */
export function challengeProgress(
  state: MemberState,
  program: Program,
  now: Date | string,
): { challenges: ChallengeView[]; badges: BadgeView[] } {
  const at = toIsoInstant(now);
  const challenges = program.challenges.flatMap((challenge): ChallengeView[] => {
    const { goal } = challenge;
    const base = {
      challengeId: challenge.challengeId,
      name: challenge.name,
      optIn: challenge.optIn,
      metric: goal.metric,
      target: goal.target,
      reward: { ...challenge.reward },
    };
    const view = (status: ChallengeView["status"], progress: number, extra: Partial<ChallengeView> = {}) => {
      const remaining = Math.max(0, goal.target - progress);
      const kind = goal.metric === "interactionCount" ? `${goal.kind.replace(/-/g, " ")} ` : "";
      const summary =
        status === "completed"
          ? `${challenge.name}: completed`
          : `${progress} of ${goal.target} ${kind}${UNITS[goal.metric]}${extra.deadline ? `, by ${extra.deadline}` : ""}`;
      return [{ ...base, status, progress, remaining, ...extra, summary }];
    };
    if (state.challenges?.completed.includes(challenge.challengeId)) return view("completed", goal.target);
    const joined = state.challenges?.active.find((a) => a.challengeId === challenge.challengeId);
    if (joined)
      return joined.endsAt > at ? view("in-progress", joined.progress, { deadline: joined.endsAt }) : [];
    const window = joinWindow(challenge, at);
    if (!window || !inAudience(state, program, challenge)) return [];
    if (challenge.window.kind === "rolling") return view("available", 0, { days: challenge.window.days });
    return view("available", 0, { deadline: window.endsAt });
  });
  const badgeName = (badgeId: string) =>
    program.challenges.find((c) => c.reward.badge?.badgeId === badgeId)?.reward.badge?.name ?? badgeId;
  const badges = (state.challenges?.badges ?? []).map((b) => ({ ...b, name: badgeName(b.badgeId) }));
  return { challenges, badges };
}
