import type { InteractionFacts, LedgerEntry, OutboundEvent, PurchaseFacts, RefundFacts } from "../../domain";
import { normaliseOfferCode } from "../../domain/offers/offer-instance";
import { outboundEvents } from "../../events/catalog";
import { currencyMinorUnits } from "../../events/currencies";
import type { InteractionRecorded } from "../../events/inbound/interaction-recorded";
import type { PurchaseCompleted } from "../../events/inbound/purchase-completed";
import type { PurchaseRefunded } from "../../events/inbound/purchase-refunded";
import { formatZodIssues, summarizeFieldErrors } from "../../events/validation-errors";
import { sourceKeyFingerprint } from "../adapters/dynamo/keys";

// Inbound event details -> domain facts, and domain outbound events -> the published contracts.

/** The purchase's business key, as its contract defines it (`purchase:<source>:<orderId>`). */
export function purchaseSourceKey(source: string, orderId: string): string {
  return `purchase:${source}:${orderId}`;
}

export function purchaseFacts(detail: PurchaseCompleted, sourceKey: string, source?: string): PurchaseFacts {
  const { paymentFingerprint } = detail;
  return {
    // Only a hash is kept: the fingerprint is the producer's token, and the check only needs equality.
    ...(paymentFingerprint !== undefined && {
      paymentKey: sourceKeyFingerprint(`payment\n${paymentFingerprint}`),
    }),
    sourceKey,
    ...(source !== undefined && { source }),
    orderId: detail.orderId,
    channel: detail.channel,
    storeId: detail.storeId,
    occurredAt: detail.occurredAt,
    currency: detail.currency,
    minorUnitsPerMajor: 10 ** currencyMinorUnits(detail.currency),
    lines: detail.lines.map((line) => ({
      sku: line.sku,
      category: line.category,
      quantity: line.quantity,
      unitPriceMinor: line.unitPrice,
    })),
    discountMinor: detail.discountTotal,
    totalMinor: detail.total,
  };
}

/** The order's offer codes as stored (normalised), in the order given; empty when it carried none. */
export function presentedOfferCodes(detail: PurchaseCompleted): string[] {
  return (detail.offerCodes ?? []).map(normaliseOfferCode);
}

/**
 * A refund is never booked before the purchase it reverses: a producer clock that puts the refund
 * earlier would otherwise place the reversal below the earn entry in the ledger, where the next
 * refund of the order (which walks down to the earn entry) would not see it.
 */
export function refundFacts(detail: PurchaseRefunded, sourceKey: string, purchasedAt: string): RefundFacts {
  const occurredAt =
    Date.parse(detail.occurredAt) < Date.parse(purchasedAt) ? purchasedAt : detail.occurredAt;
  return {
    sourceKey,
    refundId: detail.refundId,
    occurredAt,
    currency: detail.currency,
    ...(detail.lines && { lines: detail.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })) }),
    ...(detail.amount !== undefined && { amountMinor: detail.amount }),
  };
}

export function interactionFacts(detail: InteractionRecorded, sourceKey: string): InteractionFacts {
  return {
    sourceKey,
    interactionId: detail.interactionId,
    kind: detail.kind,
    occurredAt: detail.occurredAt,
    ...(detail.channel && { channel: detail.channel }),
    ...(detail.storeId && { storeId: detail.storeId }),
    ...(detail.attributes && { attributes: detail.attributes }),
  };
}

/** An outbound event as stored in the outbox and published: detail-type + contract-valid detail. */
export interface PublishableEvent {
  type: string;
  detail: Record<string, unknown>;
}

/** A domain event that does not fit its published contract is a bug: nothing is committed. */
export class OutboundContractError extends Error {
  override readonly name = "OutboundContractError";
}

const schemaByType = new Map(
  Object.values(outboundEvents).map((definition) => [definition.detailType, definition.schema]),
);

/** Expiry days are the first day points are no longer valid: the instant is that day's start (UTC). */
const dayStart = (day: string) => `${day}T00:00:00.000Z`;

function toContract(event: OutboundEvent, entries: readonly LedgerEntry[]): Record<string, unknown> {
  const trace = {
    schemaVersion: "1",
    memberId: event.detail.memberId,
    sourceKey: event.detail.sourceKey,
    reason: event.detail.reason,
    programVersion: String(event.detail.programVersion),
    occurredAt: event.detail.occurredAt,
  };
  switch (event.type) {
    case "Tier Changed":
      return {
        ...trace,
        from: event.detail.fromTier === "" ? null : event.detail.fromTier,
        to: event.detail.toTier,
        direction: event.detail.direction,
        ruleIds: event.detail.ruleIds,
      };
    case "Reward Unlocked":
      return { ...trace, rewardId: event.detail.rewardId, ruleId: event.detail.ruleId };
    case "Offer Redeemed": {
      const { offerId, trigger, messageKey, orderId, discountMinor, points } = event.detail;
      return { ...trace, offerId, trigger, messageKey, orderId, discountMinor, points };
    }
    case "Members Merged": {
      const { absorbedId, points, pendingPoints, statusPoints, balance } = event.detail;
      return { ...trace, absorbedId, points, pendingPoints, statusPoints, balance };
    }
    case "Challenge Completed": {
      const { challengeId, ledgerEntryId, points, rewardId, badgeId } = event.detail;
      return {
        ...trace,
        challengeId,
        ledgerEntryId,
        points,
        ...(rewardId !== undefined && { rewardId }),
        ...(badgeId !== undefined && { badgeId }),
      };
    }
    case "Referral Completed": {
      const { referrerId, orderId, ledgerEntryId, ruleIds } = event.detail;
      return { ...trace, referrerId, orderId, ledgerEntryId, ruleIds };
    }
    case "Service Recovery Needed": {
      const { caseId, caseReason, npsScore, csatScore } = event.detail;
      return {
        ...trace,
        caseId,
        caseReason,
        ...(npsScore !== undefined && { npsScore }),
        ...(csatScore !== undefined && { csatScore }),
      };
    }
    default: {
      const { detail } = event;
      const entry = entries.find((e) => e.entryId === detail.ledgerEntryId);
      const points = {
        ...trace,
        ledgerEntryId: detail.ledgerEntryId,
        points: detail.points,
        balance: detail.balance,
        ruleIds: detail.ruleIds,
        ...(entry?.partners && { partners: entry.partners }),
      };
      if (event.type === "Points Earned")
        return { ...points, ...(detail.expiresOn && { expiresAt: dayStart(detail.expiresOn) }) };
      if (event.type === "Points Redeemed")
        return {
          ...points,
          ...(detail.rewardId && { rewardId: detail.rewardId }),
          ...(detail.partnerId && { partnerId: detail.partnerId }),
        };
      if (event.type === "Points Reversed") {
        const reversed = entry?.details?.type === "refund" ? entry.details.originalEntryId : undefined;
        return { ...points, reversedEntryId: reversed };
      }
      return points;
    }
  }
}

/** Maps and validates every outbound event of a use case against its published schema. */
export function toPublishable(
  outbound: readonly OutboundEvent[],
  entries: readonly LedgerEntry[],
): PublishableEvent[] {
  return outbound.map((event) => {
    const schema = schemaByType.get(event.type);
    if (!schema) throw new OutboundContractError(`no outbound contract for "${event.type}"`);
    const parsed = schema.safeParse(toContract(event, entries));
    if (!parsed.success) {
      const why = summarizeFieldErrors(formatZodIssues(parsed.error.issues, "detail"));
      throw new OutboundContractError(`"${event.type}" does not fit its contract: ${why}`);
    }
    return { type: event.type, detail: parsed.data as Record<string, unknown> };
  });
}
