import { type LedgerEntry, type MemberState, pendingBalance, spendableBalance } from "../../../domain";
import type { Harness } from "./harness";

/** What the convergence checks compare: balances, status points, tier and the ledger. */
export interface MemberView {
  spendable: number;
  pending: number;
  statusPoints: number;
  tierId: string;
  unlockedRewards: number;
  entries: LedgerEntry[];
}

export async function memberView(harness: Harness, memberId: string): Promise<MemberView | undefined> {
  const snapshot = await harness.repository.getMember<MemberState & Record<string, unknown>>(memberId);
  if (!snapshot) return undefined;
  const state = snapshot.state;
  const entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await harness.repository.queryLedger<LedgerEntry>(memberId, {
      limit: 100,
      ...(cursor && { cursor }),
    });
    entries.push(...page.records.map((record) => record.entry));
    cursor = page.cursor;
  } while (cursor);
  return {
    spendable: spendableBalance(state),
    pending: pendingBalance(state),
    statusPoints: state.qualifying.reduce((sum, bucket) => sum + bucket.statusPoints, 0),
    tierId: state.tier.tierId,
    unlockedRewards: state.rewards.unlocked.reduce((sum, reward) => sum + reward.count, 0),
    entries,
  };
}

/** Signed sum of every ledger entry: spendable plus pending movements. */
export function ledgerSum(entries: readonly LedgerEntry[]): number {
  return entries.reduce((sum, entry) => sum + entry.points + (entry.pendingPoints ?? 0), 0);
}

/** The business key an entry was written under, for the kinds that carry a producer's key. */
export const keyOf = (entry: LedgerEntry) =>
  entry.kind === "earn" || entry.kind === "reverse" || entry.kind === "interaction"
    ? `${entry.kind} ${entry.sourceKey}`
    : undefined;
