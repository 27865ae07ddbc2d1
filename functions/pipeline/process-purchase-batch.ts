import { applyPurchase, type UseCaseResult } from "../../domain";
import { resolveMember } from "../../domain/member/lifecycle";
import { awaitsQualifyingPurchase } from "../../domain/member/referral";
import { appliedFingerprint } from "../adapters/dynamo/keys";
import { commitOf } from "../shared/member-change";
import { batchCandidates, type Candidate, orUndefined } from "./batch-candidates";
import type { Inbound } from "./inbound";
import { presentedOfferCodes, purchaseFacts } from "./mapping";
import type { PipelineDeps, StoredState } from "./ports";
import { eventPayload } from "./process-member-event";
import { type PurchaseOutcome, unknownCategoriesOf } from "./process-purchase";

// Purchases of a batch (an SQS event source hands the consumer up to 10) committed together: one consistent
// BatchGetItem of their members, each decided by the same use case as alone, and all their writes in as few
// TransactWriteItems as DynamoDB's limits allow. Each event keeps its business-key record and ledger entries
// under attribute_not_exists and its member's STATE under the version read, so exactly-once holds as alone.
// Only the plain case is taken here; every other event is left to the one-by-one runner (processPurchase),
// after this batch's commit, and so is every event of a transaction DynamoDB cancelled.

/**
 * Commits what it can of a batch of purchases together; answers the outcome of each event it committed, by its
 * position in `events`. The caller runs every other event through processPurchase, in order.
 */
export async function commitPurchaseBatch(
  deps: PipelineDeps,
  events: readonly Inbound<"purchaseCompleted">[],
): Promise<Map<number, PurchaseOutcome>> {
  // Offer codes are shared with the campaign's counters, which one transaction may not write twice.
  const candidates = await batchCandidates(deps, events, {
    kind: "purchase",
    plain: (event) => presentedOfferCodes(event.detail).length === 0,
  });
  const snapshots = await deps.members.getMembers<StoredState>(
    candidates.map((c) => c.event.detail.memberId),
    { consistent: true },
  );
  const decided: { candidate: Candidate<"purchaseCompleted">; result: UseCaseResult; published: number }[] =
    [];
  const inputs = [];
  for (const candidate of candidates) {
    const { memberId } = candidate.event.detail;
    const previous = snapshots.get(memberId);
    const sourceKey = candidate.event.idempotencyKey;
    const payload = eventPayload(candidate.event.detail);
    // A merged member's events go to the member it was merged into (read one by one), and a key on the ring is a
    // duplicate there at no write.
    if (previous?.state.status === "merged") continue;
    if (previous?.recentKeys.includes(appliedFingerprint(sourceKey, payload))) continue;
    const now = deps.clock();
    const facts = purchaseFacts(candidate.event.detail, sourceKey, candidate.event.envelope.source);
    const result = orUndefined(() => {
      // An unknown member under the `reject` policy throws here, as alone.
      const state = resolveMember(previous?.state, memberId, candidate.program, now);
      // Whether the referrer paid alike needs the referrer's state: read one by one.
      if (awaitsQualifyingPurchase(state) !== undefined && facts.paymentKey !== undefined) return undefined;
      return applyPurchase(state, candidate.program, facts, { now });
    });
    if (result === undefined || result.entries.length === 0) continue;
    const { input, published } = commitOf(deps.members, {
      memberId,
      target: memberId,
      previous,
      sourceKey,
      payload,
      program: candidate.program,
      decided: result,
    });
    if ((input.extraActions?.length ?? 0) > 0) continue;
    decided.push({ candidate, result, published });
    inputs.push(input);
  }
  const versions = await deps.members.commitTogether(inputs);
  const outcomes = new Map<number, PurchaseOutcome>();
  for (const [k, { candidate, result, published }] of decided.entries()) {
    const version = versions[k];
    if (version === undefined) continue;
    const unknownCategories = unknownCategoriesOf(result);
    outcomes.set(candidate.index, {
      outcome: "committed",
      version,
      entries: result.entries.length,
      published,
      ...(unknownCategories && { unknownCategories }),
    });
  }
  return outcomes;
}
