import { InsufficientPoints, RewardLimitReached, RewardUnavailable } from "../errors";
import type { LedgerEntry } from "../ledger/ledger-entry";
import { spendableBalance, takeSpendable } from "../ledger/lots";
import { negative, pointsEvent } from "../ledger/outbound";
import { partnerShares, sharesField } from "../ledger/partner-shares";
import type { Program } from "../program/program-schema";
import { toIsoInstant } from "../time";
import { settleMember } from "./lifecycle";
import type { MemberState, UseCaseResult } from "./member-state";

/** The rule id a redemption cites: its catalogue reward, derived like `tier-<tier id>` for tier multipliers. */
export const rewardRuleId = (rewardId: string): string => `reward-${rewardId}`;

/**
 * Redeems a catalogue reward. An unlocked copy (punch card, milestone) is used first and costs nothing;
 * otherwise the points cost is taken from the soonest-expiring lots. Throws RewardUnavailable,
 * RewardLimitReached or InsufficientPoints and then changes nothing.
 */
export function redeemReward(
  state: MemberState,
  program: Program,
  rewardId: string,
  ctx: { now: Date | string; redemptionKey: string },
): UseCaseResult {
  const now = toIsoInstant(ctx.now);
  const reward = program.rewards.find((r) => r.rewardId === rewardId);
  if (!reward) throw new RewardUnavailable(rewardId, "not in the rewards catalogue");
  if (!reward.available) throw new RewardUnavailable(rewardId, "switched off");
  if (reward.availableFrom && Date.parse(now) < Date.parse(reward.availableFrom))
    throw new RewardUnavailable(rewardId, `available from ${reward.availableFrom}`);
  if (reward.availableUntil && Date.parse(now) >= Date.parse(reward.availableUntil))
    throw new RewardUnavailable(rewardId, `was available until ${reward.availableUntil}`);
  const redeemed = state.rewards.redeemed.find((r) => r.rewardId === rewardId)?.count ?? 0;
  if (reward.perMemberLimit !== undefined && redeemed >= reward.perMemberLimit)
    throw new RewardLimitReached(rewardId, reward.perMemberLimit);

  const settled = settleMember(state, program, now);
  const s = settled.state;
  const unlocked = s.rewards.unlocked.find((r) => r.rewardId === rewardId && r.count > 0);
  const cost = unlocked ? 0 : reward.pointsCost;
  const available = spendableBalance(s);
  if (cost > available) throw new InsufficientPoints(cost, Math.max(0, available));

  if (unlocked) {
    unlocked.count -= 1;
    s.rewards.unlocked = s.rewards.unlocked.filter((r) => r.count > 0);
  }
  const { taken } = takeSpendable(s.points, cost);
  const funder = program.partners.find((p) => p.id === reward.fundedBy);
  const count = s.rewards.redeemed.find((r) => r.rewardId === rewardId);
  if (count) count.count += 1;
  else s.rewards.redeemed.push({ rewardId, count: 1 });
  s.lifetime.pointsRedeemed += cost;

  const entry: LedgerEntry = {
    entryId: `redeem:${ctx.redemptionKey}`,
    memberId: s.memberId,
    kind: "redeem",
    points: negative(cost),
    statusPoints: 0,
    reason:
      (unlocked
        ? `Redeemed ${reward.name} (unlocked reward, no points)`
        : `Redeemed ${reward.name} for ${cost} points`) + (funder ? ` with partner ${funder.name}` : ""),
    // The catalogue reward is the rule that priced it; programVersion names the catalogue version.
    ruleIds: [rewardRuleId(rewardId)],
    programVersion: program.version,
    sourceKey: ctx.redemptionKey,
    occurredAt: now,
    details: {
      type: "redemption",
      rewardId,
      usedUnlocked: unlocked !== undefined,
      lotsUsed: taken,
      ...(funder && { partnerId: funder.id }),
    },
    ...sharesField(partnerShares(taken, -1)),
  };
  return {
    state: s,
    entries: [...settled.entries, entry],
    outbound: [
      ...settled.outbound,
      ...pointsEvent("Points Redeemed", entry, spendableBalance(s), {
        rewardId,
        ...(funder && { partnerId: funder.id }),
      }),
    ],
  };
}
