import type * as z from "zod";
import { challengeProgress } from "../../domain/challenges/challenge-view";
import type { LedgerEntry } from "../../domain/ledger/ledger-entry";
import type { MemberState } from "../../domain/member/member-state";
import {
  expiringWithin,
  frequencyProgress,
  pendingBalance,
  spendableBalance,
  tierStatus,
} from "../../domain/member/queries";
import type { OfferOutcome } from "../../domain/offers/offer-redemption";
import type { Program } from "../../domain/program/program-schema";
import { qualifyingMetric } from "../../domain/tiers/qualifying";
import { utcDay } from "../../domain/time";
import type { ledgerEntrySchema, memberRewardsSchema, memberSummarySchema } from "./api-schemas";

// Pure mappings from domain state to response bodies; every figure comes from the one STATE item.

export function memberSummary(
  state: MemberState,
  program: Program,
  now: Date,
): z.input<typeof memberSummarySchema> {
  const status = tierStatus(state, program, now);
  return {
    memberId: state.memberId,
    asOf: now.toISOString(),
    programVersion: program.version,
    points: {
      spendable: spendableBalance(state),
      pending: pendingBalance(state),
      status: qualifyingMetric(state, program, utcDay(now)),
    },
    tier: status,
    expiring: {
      within30Days: expiringWithin(state, 30, now).points,
      within60Days: expiringWithin(state, 60, now).points,
      within90Days: expiringWithin(state, 90, now).points,
    },
    unlockedRewards: state.rewards.unlocked.map((r) => ({ ...r })),
    frequency: frequencyProgress(state, program, utcDay(now)),
    ...challengeProgress(state, program, now),
  };
}

export function ledgerEntryView(entry: LedgerEntry): z.input<typeof ledgerEntrySchema> {
  return {
    entryId: entry.entryId,
    kind: entry.kind,
    points: entry.points,
    ...(entry.pendingPoints !== undefined && { pendingPoints: entry.pendingPoints }),
    statusPoints: entry.statusPoints,
    reason: entry.reason,
    ruleIds: entry.ruleIds,
    programVersion: entry.programVersion,
    occurredAt: entry.occurredAt,
    ...(entry.details?.type === "redemption" && { rewardId: entry.details.rewardId }),
    ...(entry.details?.type === "purchase" &&
      entry.details.offers && { offers: offersView(entry.details.offers) }),
  };
}

/** What each code gave, without what it cost the retailer or the campaign it is counted in. */
function offersView(offers: OfferOutcome): NonNullable<z.input<typeof ledgerEntrySchema>["offers"]> {
  return {
    redeemed: offers.redeemed.map(({ code, offerId, discountMinor, points, reward }) => ({
      code,
      offerId,
      discountMinor,
      points,
      ...(reward && { reward: { ...reward } }),
    })),
    rejected: offers.rejected.map(({ code, reason }) => ({ code, reason })),
  };
}

function availableAt(reward: Program["rewards"][number], now: Date): boolean {
  const at = now.getTime();
  if (!reward.available) return false;
  if (reward.availableFrom && at < Date.parse(reward.availableFrom)) return false;
  return !(reward.availableUntil && at >= Date.parse(reward.availableUntil));
}

export function memberRewards(
  state: MemberState,
  program: Program,
  now: Date,
): z.input<typeof memberRewardsSchema> {
  const spendable = spendableBalance(state);
  const count = (list: { rewardId: string; count: number }[], id: string) =>
    list.find((r) => r.rewardId === id)?.count ?? 0;
  return {
    spendable,
    rewards: program.rewards.map((reward) => {
      const unlocked = count(state.rewards.unlocked, reward.rewardId);
      const redeemed = count(state.rewards.redeemed, reward.rewardId);
      const remaining =
        reward.perMemberLimit === undefined ? undefined : Math.max(0, reward.perMemberLimit - redeemed);
      const availableNow = availableAt(reward, now);
      return {
        rewardId: reward.rewardId,
        name: reward.name,
        pointsCost: reward.pointsCost,
        availableNow,
        unlocked,
        redeemed,
        ...(remaining !== undefined && { remaining }),
        affordable: availableNow && remaining !== 0 && (unlocked > 0 || spendable >= reward.pointsCost),
      };
    }),
    frequency: frequencyProgress(state, program, utcDay(now)),
  };
}
