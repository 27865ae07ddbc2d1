import { applyChallenges } from "../challenges/apply-challenges";
import { purchasePoints } from "../earning/purchase-points";
import type { PurchaseFacts } from "../facts";
import { applyFrequencyRules, type FrequencyUnlock, unlockReward } from "../frequency/frequency-rewards";
import type { LedgerEntry, LotRef, OutboundEvent } from "../ledger/ledger-entry";
import { addPending, addSpendable, spendableBalance } from "../ledger/lots";
import { clipReason, pointsEvent } from "../ledger/outbound";
import { sharesField } from "../ledger/partner-shares";
import {
  decideOfferRedemptions,
  type OfferOutcome,
  offerRuleId,
  type RedeemedOffer,
} from "../offers/offer-redemption";
import { type Partner, partnerOfSource } from "../program/partner-schema";
import type { Program } from "../program/program-schema";
import { addQualifying, currentTier } from "../tiers/qualifying";
import { applyUpgrade } from "../tiers/tier-review";
import { addDays, addMonths, utcDay } from "../time";
import { recordPurchaseMonth } from "./activity-months";
import { settleMember } from "./lifecycle";
import type { Clock, MemberState, UseCaseResult } from "./member-state";
import { recordPaymentKey, recordReferralPurchase } from "./referral";
import { recordMilestonesReached, recordPurchaseRetention, refileDueDay } from "./retention-facts";

/**
 * A completed purchase: points per line (pending during the return window), status points and qualifying spend,
 * first-purchase / streak / milestone bonuses, punch cards, and an immediate tier upgrade when earned.
 */
export function applyPurchase(
  state: MemberState,
  program: Program,
  purchase: PurchaseFacts,
  ctx: Clock,
): UseCaseResult {
  const before = settleMember(state, program, ctx.now);
  const s = before.state;
  const day = utcDay(purchase.occurredAt);
  const partner = partnerOfSource(program, purchase.source);
  const earned = purchasePoints(earningProgram(program, partner), currentTier(s, program), purchase);
  const paid = earned.lines.map((l) => l.paidMinor);

  const lot: LotRef = { expiresOn: addMonths(day, program.expiry.validityMonths) };
  const availableOn = addDays(day, program.earning.pendingDays);
  // A late event whose return window already closed earns spendable points at once.
  if (program.earning.pendingDays > 0 && availableOn > utcDay(ctx.now)) lot.availableOn = availableOn;
  // The purchase's own points are the partner's (it pays for them); bonuses are the retailer's promotions.
  const credit = (points: number, issuer?: string) => {
    if (lot.availableOn) addPending(s.points, lot.availableOn, lot.expiresOn, points, issuer);
    else addSpendable(s.points, lot.expiresOn, points, issuer);
    s.lifetime.pointsEarned += points;
  };
  const delta = (points: number) => (lot.availableOn ? { points: 0, pendingPoints: points } : { points });

  const isFirstPurchase = s.lifetime.purchases === 0;
  s.lifetime.purchases += 1;
  s.lifetime.spendMinor += purchase.totalMinor;
  s.lifetime.firstPurchaseAt ??= purchase.occurredAt;
  if (!s.lifetime.lastPurchaseAt || Date.parse(purchase.occurredAt) > Date.parse(s.lifetime.lastPurchaseAt))
    s.lifetime.lastPurchaseAt = purchase.occurredAt;
  s.activity = recordPurchaseMonth(s.activity, purchase.occurredAt);
  for (const line of earned.lines) addCategorySpend(s, program, line.category, line.paidMinor);
  addQualifying(s, day, earned.statusPoints, earned.qualifyingSpendMinor);

  const bonuses: { ruleId: string; points: number; reason: string }[] = [];
  const welcome = program.earning.firstPurchaseBonus;
  if (welcome && isFirstPurchase && purchase.totalMinor >= welcome.minSpendMinor)
    bonuses.push({
      ruleId: welcome.ruleId,
      points: welcome.points,
      reason: `First purchase bonus: ${welcome.points} points`,
    });
  const milestonesBefore = s.frequency.milestonesReached.length;
  const frequency = applyFrequencyRules(s, program, purchase, paid, day);
  recordMilestonesReached(s, s.frequency.milestonesReached.slice(milestonesBefore), day);
  bonuses.push(...frequency.bonuses);
  const offers = redeemOffers(s.memberId, program, purchase);
  const offerUnlocks = (offers?.redeemed ?? []).flatMap((r) =>
    r.reward ? [unlockOfferReward(s, r.offerId, r.reward)] : [],
  );
  for (const r of offers?.redeemed ?? [])
    if (r.points > 0)
      bonuses.push({
        ruleId: offerRuleId(r.offerId),
        points: r.points,
        reason: `Offer ${r.offerId}: ${r.points} points`,
      });

  // Challenge rewards are spendable at once and stay on a refund (README "Challenges and badges").
  const { sourceKey, occurredAt } = purchase;
  const challenges = applyChallenges(s, program, {
    type: "purchase",
    sourceKey,
    occurredAt,
    lines: earned.lines,
  });
  credit(earned.points, partner?.id);
  const at = purchase.storeId ? ` at store ${purchase.storeId}` : ` (${purchase.channel})`;
  const where = partner ? ` with partner ${partner.name}${at}` : at;
  const pendingNote = lot.availableOn ? `; spendable from ${lot.availableOn}` : "";
  const base = {
    memberId: s.memberId,
    programVersion: program.version,
    sourceKey: purchase.sourceKey,
    occurredAt: purchase.occurredAt,
  };
  const bonusEntries: LedgerEntry[] = bonuses.map((bonus) => {
    credit(bonus.points);
    return {
      ...base,
      entryId: `bonus:${purchase.sourceKey}:${bonus.ruleId}`,
      kind: "bonus",
      ...delta(bonus.points),
      statusPoints: 0,
      reason: clipReason(`${bonus.reason} (order ${purchase.orderId})${pendingNote}`),
      ruleIds: [bonus.ruleId],
      details: { type: "bonus", orderId: purchase.orderId, lot },
    };
  });
  const earnEntry: LedgerEntry = {
    ...base,
    entryId: `earn:${purchase.sourceKey}`,
    kind: "earn",
    ...delta(earned.points),
    statusPoints: earned.statusPoints,
    reason: clipReason(
      `Purchase order ${purchase.orderId}${where}: ${earned.points} points (${earned.explanation})${pendingNote}`,
    ),
    ruleIds: earned.ruleIds,
    ...sharesField(
      partner ? [{ partnerId: partner.id, points: earned.points }].filter((p) => p.points > 0) : [],
    ),
    details: {
      type: "purchase",
      orderId: purchase.orderId,
      channel: purchase.channel,
      ...(purchase.storeId !== undefined && { storeId: purchase.storeId }),
      ...(partner && { partnerId: partner.id }),
      currency: purchase.currency,
      totalMinor: purchase.totalMinor,
      lines: earned.lines,
      lot,
      ...(earned.unknownCategories.length > 0 && { unknownCategories: earned.unknownCategories }),
      bonuses: bonusEntries.map((e, i) => ({
        entryId: e.entryId,
        ruleId: bonuses[i]?.ruleId ?? "",
        points: bonuses[i]?.points ?? 0,
      })),
      ...(offers && { offers }),
    },
  };

  const qualifying = { ...purchase, availableOn: lot.availableOn ?? day };
  recordReferralPurchase(s, program, qualifying, { sharesReferrerPayment: purchase.sharesReferrerPayment });
  recordPaymentKey(s, program, purchase.paymentKey);
  const tierEvents = applyUpgrade(s, program, purchase.occurredAt, purchase.sourceKey);
  recordPurchaseRetention(s, program, purchase);
  const after = settleMember(s, program, ctx.now);
  refileDueDay(after.state, program, utcDay(ctx.now));
  const balance = spendableBalance(after.state);
  const entries = [earnEntry, ...bonusEntries];
  const outbound: OutboundEvent[] = [
    ...before.outbound,
    ...entries.flatMap((e) => pointsEvent("Points Earned", e, balance, { expiresOn: lot.expiresOn })),
    ...[...frequency.unlocks, ...offerUnlocks].map(
      (unlock): OutboundEvent => ({
        type: "Reward Unlocked",
        detail: { ...base, rewardId: unlock.rewardId, ruleId: unlock.ruleId, reason: unlock.reason },
      }),
    ),
    ...(offers?.redeemed ?? []).map(
      (r): OutboundEvent => ({
        type: "Offer Redeemed",
        detail: {
          ...base,
          offerId: r.offerId,
          trigger: r.trigger,
          messageKey: r.messageKey,
          orderId: purchase.orderId,
          discountMinor: r.discountMinor,
          points: r.points,
          reason: clipReason(`Offer ${r.offerId} redeemed on order ${purchase.orderId}`),
        },
      }),
    ),
    ...challenges.outbound(balance),
    ...tierEvents,
    ...after.outbound,
  ];
  const all = [...before.entries, ...entries, ...challenges.entries, ...after.entries];
  return { state: after.state, entries: all, outbound };
}

/** The rules a purchase earns by: a partner's rate and rule id replace the base ones, the multipliers stay. */
export function earningProgram(program: Program, partner: Partner | undefined): Program {
  if (!partner) return program;
  const earning = { ...program.earning, basePointsPerUnit: partner.earn.pointsPerUnit };
  return { ...program, earning: { ...earning, baseRuleId: partner.earn.ruleId } };
}

/** The order's offer codes, decided against the member's instances (undefined when it carried none). */
function redeemOffers(memberId: string, program: Program, purchase: PurchaseFacts): OfferOutcome | undefined {
  if (!purchase.offerCodes || purchase.offerCodes.length === 0) return undefined;
  return decideOfferRedemptions(purchase.offerCodes, {
    memberId,
    sourceKey: purchase.sourceKey,
    occurredAt: purchase.occurredAt,
    basketMinor: purchase.totalMinor + purchase.discountMinor,
    pointCostMinor: program.retention.offers.pointCostMinor,
    rewards: program.rewards,
  });
}

/** A reward offer's copies of its catalogue reward, unlocked like a full punch card's (used without points). */
function unlockOfferReward(
  state: MemberState,
  offerId: string,
  { rewardId, copies }: NonNullable<RedeemedOffer["reward"]>,
): FrequencyUnlock {
  for (let i = 0; i < copies; i += 1) unlockReward(state, rewardId);
  return {
    ruleId: offerRuleId(offerId),
    rewardId,
    reason: `Offer ${offerId}: ${copies > 1 ? `${copies} × ` : ""}reward ${rewardId}`,
  };
}

/** Lifetime spend per declared category (undeclared ones are not tracked, keeping the state bounded). */
export function addCategorySpend(
  state: MemberState,
  program: Program,
  category: string,
  spendMinor: number,
): void {
  if (!program.categories.includes(category)) return;
  const entry = state.categorySpend.find((c) => c.category === category);
  if (entry) entry.spendMinor = Math.max(0, entry.spendMinor + spendMinor);
  else if (spendMinor > 0) {
    state.categorySpend.push({ category, spendMinor });
    state.categorySpend.sort((a, b) => a.category.localeCompare(b.category));
  }
}
