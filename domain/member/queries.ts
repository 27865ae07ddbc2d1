import type { MemberState } from "./member-state";

export {
  type FrequencyProgress,
  frequencyProgress,
  type MilestoneProgress,
  type PunchCardProgress,
  type StreakProgress,
} from "../frequency/frequency-progress";
export { expiringWithin, pendingBalance, spendableBalance } from "../ledger/lots";
export { type TierKeep, tierStatus } from "../tiers/tier-review";

/** The category with the highest lifetime spend (ties: alphabetical); undefined before any purchase. */
export function favouriteCategory(state: MemberState): string | undefined {
  let best: { category: string; spendMinor: number } | undefined;
  for (const entry of state.categorySpend) {
    if (entry.spendMinor > 0 && (!best || entry.spendMinor > best.spendMinor)) best = entry;
  }
  return best?.category;
}

/** Unused unlocked rewards, e.g. [{ rewardId: "free-coffee", count: 1 }]. */
export function unlockedRewards(state: MemberState): { rewardId: string; count: number }[] {
  return state.rewards.unlocked.map((r) => ({ ...r }));
}
