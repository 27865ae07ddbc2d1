import { InvalidFacts } from "../errors";
import type { RefundFacts } from "../facts";
import { takeBackReward } from "../frequency/frequency-rewards";
import type { LedgerEntry, OutboundEvent, PurchaseDetails, RefundDetails } from "../ledger/ledger-entry";
import { spendableBalance, takePending, takeSpendable } from "../ledger/lots";
import { clipReason, negative, pointsEvent } from "../ledger/outbound";
import { partnerShares, sharesField } from "../ledger/partner-shares";
import { planRefund } from "../ledger/refund-plan";
import { codesToRestore, type OfferRewardTakenBack, type RedeemedOffer } from "../offers/offer-redemption";
import type { Program } from "../program/program-schema";
import { addQualifying } from "../tiers/qualifying";
import { utcDay } from "../time";
import { cancelPurchaseMonth } from "./activity-months";
import { addCategorySpend } from "./apply-purchase";
import { settleMember } from "./lifecycle";
import type { Clock, MemberState, UseCaseResult } from "./member-state";
import { recordReferralRefund } from "./referral";

/**
 * Reverses the points a refunded purchase earned, in proportion to what was refunded.
 *
 * Design choice: the ledger is append-only, so the original earn entry never records what was reversed. The
 * caller passes the original "earn" entry AND the earlier "reverse" entries of the same order (one Query on
 * the order's key prefix); the running totals come from those. This keeps the member item free of per-order
 * data and works for refunds after the return window too.
 *
 * Points come back from the order's own pending lot first, then from spendable points (soonest-expiring
 * first; a partner's order takes that partner's points before others, a retailer's order the retailer's).
 * What is still missing follows `refunds.whenPointsSpent`: allow-negative books it as debt, claw-back records
 * it as the shortfall. First-purchase, streak and milestone bonuses of the order are
 * reversed only when the whole order has been refunded. Tiers never drop here: only reviews downgrade.
 */
export function applyRefund(
  state: MemberState,
  program: Program,
  refund: RefundFacts,
  originalEarnEntry: LedgerEntry,
  priorReversals: readonly LedgerEntry[],
  ctx: Clock,
): UseCaseResult {
  const purchase = originalEarnEntry.details;
  if (originalEarnEntry.kind !== "earn" || purchase?.type !== "purchase")
    throw new InvalidFacts(
      "originalEarnEntry",
      `entry ${originalEarnEntry.entryId} is not a purchase earn entry`,
    );
  // A member merged into this one keeps its orders' earn entries in its own ledger (merge-members.ts).
  const ours = [state.memberId, ...(state.absorbed ?? [])];
  if (!ours.includes(originalEarnEntry.memberId))
    throw new InvalidFacts(
      "originalEarnEntry",
      `entry ${originalEarnEntry.entryId} belongs to another member`,
    );
  // Amounts are minor units of the order's currency: a refund in another currency cannot be compared.
  if (refund.currency !== purchase.currency)
    throw new InvalidFacts("currency", "must be the currency of the original order");
  const prior = priorReversals.flatMap((e) =>
    e.details?.type === "refund" && e.details.originalEntryId === originalEarnEntry.entryId
      ? [e.details]
      : [],
  );
  const plan = planRefund(purchase, prior, refund);

  const before = settleMember(state, program, ctx.now);
  const s = before.state;
  const bonuses = plan.fullyRefunded ? purchase.bonuses.filter((b) => b.points > 0) : [];
  const linePoints = plan.lines.reduce((a, l) => a + l.points, 0);
  const owed = linePoints + bonuses.reduce((a, b) => a + b.points, 0);
  const statusPoints = plan.lines.reduce((a, l) => a + l.statusPoints, 0);
  const qualifyingSpend = plan.lines.reduce((a, l) => a + l.qualifyingSpendMinor, 0);

  const issuer = purchase.partnerId;
  // A partner order's pending lot is the partner's; its bonuses went to the retailer's lot of the same days.
  const pendingTaken: { partner?: string; points: number }[] = [];
  for (const partner of issuer === undefined ? [undefined] : [issuer, undefined]) {
    const { availableOn, expiresOn } = purchase.lot;
    const left = owed - pendingTaken.reduce((a, t) => a + t.points, 0);
    const points = availableOn ? takePending(s.points, availableOn, expiresOn, left, partner) : 0;
    pendingTaken.push({ ...(partner !== undefined && { partner }), points });
  }
  const fromPending = pendingTaken.reduce((a, t) => a + t.points, 0);
  const spendable = takeSpendable(s.points, owed - fromPending, (lot) => lot.partner === issuer);
  const fromSpendable = spendable.total;
  const missing = owed - fromPending - fromSpendable;
  const allowNegative = program.refunds.whenPointsSpent === "allow-negative";
  const addedDebt = allowNegative ? missing : 0;
  const shortfall = allowNegative ? 0 : missing;
  s.points.debt += addedDebt;

  const purchaseDay = utcDay(originalEarnEntry.occurredAt);
  addQualifying(s, purchaseDay, -statusPoints, -qualifyingSpend);
  s.lifetime.spendMinor = Math.max(0, s.lifetime.spendMinor - plan.refundedMinor);
  s.lifetime.pointsEarned = Math.max(0, s.lifetime.pointsEarned - (owed - shortfall));
  if (plan.fullyRefunded) {
    s.lifetime.purchases = Math.max(0, s.lifetime.purchases - 1);
    const activity = cancelPurchaseMonth(s.activity, originalEarnEntry.occurredAt);
    if (activity) s.activity = activity;
  }
  recordReferralRefund(s, program, { originalSourceKey: originalEarnEntry.sourceKey, ...plan });
  for (const line of plan.lines) {
    const category = purchase.lines[line.lineIndex]?.category;
    if (category) addCategorySpend(s, program, category, -line.refundedMinor);
  }

  const redeemedOffers = purchase.offers?.redeemed ?? [];
  // Like the offer's bonus points, the rewards a reward offer unlocked go back with the whole order.
  const offerRewardsTakenBack = plan.fullyRefunded ? takeBackOfferRewards(s, redeemedOffers) : [];
  const offersRestored = codesToRestore(redeemedOffers, {
    restoreOnFullRefund: program.retention.offers.restoreOnFullRefund,
    fullyRefunded: plan.fullyRefunded,
    at: ctx.now,
    rewardsTakenBack: offerRewardsTakenBack,
  });
  const details: RefundDetails = {
    type: "refund",
    refundId: refund.refundId,
    originalSourceKey: originalEarnEntry.sourceKey,
    originalEntryId: originalEarnEntry.entryId,
    lines: plan.lines,
    refundedMinor: plan.refundedMinor,
    fullyRefunded: plan.fullyRefunded,
    bonusesReversed: bonuses,
    fromPending,
    fromSpendable,
    addedDebt,
    shortfall,
    ...(offersRestored.length > 0 && { offersRestored }),
    ...(offerRewardsTakenBack.length > 0 && { offerRewardsTakenBack }),
  };
  const entry: LedgerEntry = {
    entryId: `reverse:${originalEarnEntry.sourceKey}:${refund.sourceKey}`,
    memberId: s.memberId,
    kind: "reverse",
    points: negative(fromSpendable + addedDebt),
    ...(fromPending > 0 && { pendingPoints: -fromPending }),
    statusPoints: negative(statusPoints),
    reason: clipReason(
      refundReason(purchase, plan.refundedMinor, owed, bonuses.length > 0, shortfall, addedDebt) +
        (offersRestored.length > 0 ? `; ${offersRestored.length} offer code(s) given back` : "") +
        (offerRewardsTakenBack.length > 0
          ? `; offer reward ${offerRewardsTakenBack.map((t) => t.rewardId).join(", ")} taken back`
          : ""),
    ),
    ruleIds: [program.refunds.ruleId, ...originalEarnEntry.ruleIds, ...bonuses.map((b) => b.ruleId)],
    programVersion: program.version,
    sourceKey: refund.sourceKey,
    occurredAt: refund.occurredAt,
    details,
    ...sharesField(partnerShares([...pendingTaken, ...spendable.taken], -1)),
  };
  const after = settleMember(s, program, ctx.now);
  const outbound: OutboundEvent[] = [
    ...before.outbound,
    ...pointsEvent("Points Reversed", entry, spendableBalance(after.state)),
    ...after.outbound,
  ];
  return { state: after.state, entries: [...before.entries, entry, ...after.entries], outbound };
}

/** The unused copies of the rewards the order's reward offers unlocked, taken back. Mutates `state`. */
function takeBackOfferRewards(
  state: MemberState,
  redeemed: readonly RedeemedOffer[],
): OfferRewardTakenBack[] {
  return redeemed.flatMap(({ code, reward }) => {
    const copies = reward ? takeBackReward(state, reward.rewardId, reward.copies) : 0;
    return reward && copies > 0 ? [{ code, rewardId: reward.rewardId, copies }] : [];
  });
}

function refundReason(
  purchase: PurchaseDetails,
  refundedMinor: number,
  owed: number,
  withBonuses: boolean,
  shortfall: number,
  debt: number,
): string {
  const share = `${refundedMinor} of ${purchase.totalMinor} ${purchase.currency} minor units`;
  const parts = [`Refund on order ${purchase.orderId} (${share}): ${owed} points reversed`];
  if (withBonuses) parts.push("including the order's bonuses, as the whole order was refunded");
  if (shortfall > 0) parts.push(`${shortfall} already spent and not recovered`);
  if (debt > 0) parts.push(`balance ${debt} below zero until repaid by new points`);
  return parts.join("; ");
}
