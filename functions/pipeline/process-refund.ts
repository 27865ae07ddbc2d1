import { applyRefund, type LedgerEntry } from "../../domain";
import { refundOrigin } from "../../domain/member/refund-origin";
import type { OrderEntries } from "../adapters/dynamo/member-repository";
import { OriginalOrderNotFound, RefundOfForeignOrder } from "../shared/errors";
import type { Inbound } from "./inbound";
import { purchaseSourceKey, refundFacts } from "./mapping";
import type { PipelineDeps } from "./ports";
import { eventPayload, type ProcessOutcome, processMemberEvent } from "./process-member-event";

const DAY_MS = 86_400_000;

/**
 * The purchase and its reversals across the partitions a merge spread them over: the member named, the member
 * it was merged into (where later reversals go) and the members merged into that one (their orders' earn
 * entries stay in their own ledgers). A member never merged has one partition: one search, as before.
 */
async function findAcrossMerges(
  deps: PipelineDeps,
  memberIds: readonly string[],
  search: Parameters<PipelineDeps["members"]["findOrderEntries"]>[1],
): Promise<OrderEntries<LedgerEntry>> {
  const partitions = [...new Set(memberIds)];
  if (partitions.length === 1) return deps.members.findOrderEntries<LedgerEntry>(partitions[0] ?? "", search);
  const found = await Promise.all(
    partitions.map((id) => deps.members.findOrderEntries<LedgerEntry>(id, search)),
  );
  const anchor = found.find((f) => f.anchor)?.anchor;
  return { ...(anchor && { anchor }), related: found.flatMap((f) => f.related) };
}

/**
 * Purchase Refunded: reverses the points of the original order in proportion, under the program's
 * policy for points already spent. The earn entry and earlier reversals of the order are read in the
 * same attempt as the member, so a concurrent refund of the same order is a version conflict, never
 * a double reversal. A refund that arrives before its purchase is retried (OriginalOrderNotFound), unless
 * its key was applied already: then it is a duplicate or a conflict, like any other key. A refund of
 * another producer's order (not one of the sender's producer's sources) is rejected unless the sender
 * is a refund authority.
 */
export async function processRefund(
  deps: PipelineDeps,
  event: Inbound<"purchaseRefunded">,
): Promise<ProcessOutcome> {
  const { detail } = event;
  const origin = refundOrigin({
    source: event.envelope.source,
    originalOrderSource: detail.originalOrderSource,
    producerSources: deps.producerSources ?? [],
    refundAuthoritySources: deps.refundAuthoritySources ?? [],
  });
  if (!origin.ok) throw new RefundOfForeignOrder({ path: origin.path, message: origin.message });
  const originalSourceKey = purchaseSourceKey(
    detail.originalOrderSource ?? event.envelope.source,
    detail.originalOrderId,
  );
  const earnEntryId = `earn:${originalSourceKey}`;
  const reversalId = `reverse:${originalSourceKey}:${event.idempotencyKey}`;
  const notBefore = new Date(Date.parse(detail.occurredAt) - deps.refundLookbackDays * DAY_MS).toISOString();
  return processMemberEvent(deps, {
    memberId: detail.memberId,
    kind: "refund",
    sourceKey: event.idempotencyKey,
    payload: eventPayload(detail),
    occurredAt: detail.occurredAt,
    decide: async (state, program, now) => {
      const found = await findAcrossMerges(
        deps,
        [detail.memberId, state.memberId, ...(state.absorbed ?? [])],
        {
          anchorEntryId: earnEntryId,
          relatedPrefix: `reverse:${originalSourceKey}:`,
          notBefore,
        },
      );
      const reversed = found.related.some((record) => record.entry.entryId === reversalId);
      if (!found.anchor || reversed) {
        // Its own reversal, or no order to reverse: the key's record tells a redelivery from a refund id
        // re-sent with another amount or for another member (both conflicts) before a refund ahead of its order.
        const keyApplied = await deps.members.getAppliedKey(event.idempotencyKey);
        if (keyApplied) return { keyApplied };
        if (!found.anchor) throw new OriginalOrderNotFound(originalSourceKey);
        throw new Error(`reversal ${reversalId} is stored without its business key record`);
      }
      const earn = found.anchor.entry;
      const facts = refundFacts(detail, event.idempotencyKey, earn.occurredAt);
      const prior = found.related.map((record) => record.entry);
      return applyRefund(state, program, facts, earn, prior, { now });
    },
  });
}
