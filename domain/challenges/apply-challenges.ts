import type { MemberState } from "../member/member-state";
import type { Program } from "../program/program-schema";
import { type ChallengeRewards, rewardCompletions } from "./challenge-completion";
import { type CountedEvent, countTowardsChallenges } from "./challenge-progress";

/**
 * One event's effect on the member's challenges, inside the event's own change: progress, and for each
 * challenge it completes the reward, its ledger entry and events. Mutates `state`.
 */
export function applyChallenges(
  state: MemberState,
  program: Program,
  event: CountedEvent & { sourceKey: string },
): ChallengeRewards & { counted: boolean } {
  const { counted, completed } = countTowardsChallenges(state, program, event);
  if (completed.length === 0) return { counted: counted > 0, entries: [], outbound: () => [] };
  return { counted: true, ...rewardCompletions(state, program, completed, event) };
}
