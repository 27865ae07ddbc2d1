import { applyPurchase, type Program, type UseCaseResult } from "../../domain";
import { resolveMember } from "../../domain/member/lifecycle";
import { awaitsQualifyingPurchase } from "../../domain/member/referral";
import { appliedFingerprint } from "../adapters/dynamo/keys";
import { commitOf } from "../shared/member-change";
import { assertEventTime } from "./event-time";
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

type Candidate = {
  index: number;
  event: Inbound<"purchaseCompleted">;
  program: Program;
  sourceKey: string;
  payload: string;
};

/** The first event of each member and business key whose program is in effect and whose time is allowed. */
async function candidatesOf(deps: PipelineDeps, events: readonly Inbound<"purchaseCompleted">[]) {
  const members = new Set<string>();
  const keys = new Set<string>();
  const candidates: Candidate[] = [];
  for (const [index, event] of events.entries()) {
    const { memberId } = event.detail;
    const sourceKey = event.idempotencyKey;
    // A member's later events (and a key's re-sends) come after the first's commit, one by one, in order.
    const first = !members.has(memberId) && !keys.has(sourceKey);
    members.add(memberId);
    keys.add(sourceKey);
    // Offer codes are shared with the campaign's counters, which one transaction may not write twice.
    if (!first || presentedOfferCodes(event.detail).length > 0) continue;
    const program = await deps.programs.inEffectAt(event.detail.occurredAt);
    if (program === undefined || !allowedTime(deps, program, event)) continue;
    candidates.push({ index, event, program, sourceKey, payload: eventPayload(event.detail) });
  }
  return candidates;
}

function allowedTime(deps: PipelineDeps, program: Program, event: Inbound<"purchaseCompleted">): boolean {
  try {
    assertEventTime({ program, occurredAt: event.detail.occurredAt, now: deps.clock(), kind: "purchase" });
    return true;
  } catch {
    return false; // rejected one by one, with the error that names the field
  }
}

/**
 * Commits what it can of a batch of purchases together; answers the outcome of each event it committed, by its
 * position in `events`. The caller runs every other event through processPurchase, in order.
 */
export async function commitPurchaseBatch(
  deps: PipelineDeps,
  events: readonly Inbound<"purchaseCompleted">[],
): Promise<Map<number, PurchaseOutcome>> {
  const candidates = await candidatesOf(deps, events);
  const snapshots = await deps.members.getMembers<StoredState>(
    candidates.map((c) => c.event.detail.memberId),
    { consistent: true },
  );
  const decided: { candidate: Candidate; result: UseCaseResult; published: number }[] = [];
  const inputs = [];
  for (const candidate of candidates) {
    const { memberId } = candidate.event.detail;
    const previous = snapshots.get(memberId);
    // A merged member's events go to the member it was merged into: read one by one.
    if (previous?.state.status === "merged") continue;
    if (previous?.recentKeys.includes(appliedFingerprint(candidate.sourceKey, candidate.payload))) continue;
    const now = deps.clock();
    const facts = purchaseFacts(candidate.event.detail, candidate.sourceKey, candidate.event.envelope.source);
    const result = decideQuietly(() => {
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
      sourceKey: candidate.sourceKey,
      payload: candidate.payload,
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

/** The use case's result, or undefined when it throws: the event is then run alone, where its error is handled. */
function decideQuietly(decide: () => UseCaseResult | undefined): UseCaseResult | undefined {
  try {
    return decide();
  } catch {
    return undefined;
  }
}
