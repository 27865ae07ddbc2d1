import {
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { type MemberState, type OutboundEvent, type Program, spendableBalance } from "../../domain";
import { UnknownMember } from "../../domain/errors";
import { type MergeRequest, mergeMembers, mergeSourceKey } from "../../domain/member/merge-members";
import { type AppliedKey, businessKeyPut, isSameApplication } from "../adapters/dynamo/business-keys";
import { ledgerSortKey, payloadFingerprint } from "../adapters/dynamo/keys";
import type { MemberRepository, MemberSnapshot } from "../adapters/dynamo/member-repository";
import { type OptimisticRetryOptions, withOptimisticRetry } from "../adapters/dynamo/optimistic-retry";
import { MAX_TRANSACTION_ITEMS } from "../adapters/dynamo/transaction-outcome";
import type { StoredEntry, StoredState } from "../pipeline/ports";
import { outboxOf } from "./member-change";

// Merging a duplicate member into the one kept (domain/member/merge-members.ts) in ONE transaction over both
// members: both STATE items under their version conditions, a ledger entry on each side, the merge's business
// key (`merge:<absorbed id>`: a member is absorbed once, for ever), the profiles (the duplicate's consent
// withdrawals kept, its PROFILE deleted), its offer codes moved, and the partners' statement counters for the
// entries on both sides (expiries from settling either member, partner points moved). At most
// MAX_TRANSACTION_ITEMS items (transaction-outcome.ts), or MergeTooLarge. Any event committed to either member
// in the meantime fails a condition and the merge is decided again on fresh reads, so nothing that raced it is
// lost.

type MembersMergedDetail = Extract<OutboundEvent, { type: "Members Merged" }>["detail"];

/** What moved, as Members Merged says it, and when: the answer stored with the merge's business key. */
export type MergeAnswer = Pick<
  MembersMergedDetail,
  "memberId" | "absorbedId" | "points" | "pendingPoints" | "statusPoints" | "balance"
> & { mergedAt: string } & Record<string, unknown>;

export type MergeOutcome =
  | { outcome: "merged"; answer: MergeAnswer; attempts: number }
  /** The same merge was done before: its first answer. */
  | { outcome: "replayed"; answer: MergeAnswer }
  /** The duplicate was merged before into another member, or with another reason. */
  | { outcome: "already-merged"; applied: AppliedKey };

export class MergeTooLarge extends Error {
  constructor(readonly items: number) {
    super(`the merge would write ${items} items; at most ${MAX_TRANSACTION_ITEMS} fit one transaction`);
  }
}

export interface MergeDeps {
  members: Pick<
    MemberRepository,
    | "getMember"
    | "getAppliedKey"
    | "statePutAction"
    | "ledgerPutActions"
    | "duplicateMergeActions"
    | "moveOffersActions"
    | "partnerCounterWritesOf"
  >;
  client: { send(command: TransactWriteItemsCommand): Promise<unknown> };
  tableName: string;
  clock: () => Date;
  retry?: OptimisticRetryOptions;
}

async function load(deps: MergeDeps, memberId: string): Promise<MemberSnapshot<StoredState>> {
  const snapshot = await deps.members.getMember<StoredState>(memberId);
  if (!snapshot) throw new UnknownMember(memberId);
  return snapshot;
}

export async function runMemberMerge(
  deps: MergeDeps,
  input: { survivorId: string; absorbedId: string; request: MergeRequest; program: Program },
): Promise<MergeOutcome> {
  const { survivorId, absorbedId, request, program } = input;
  const sourceKey = mergeSourceKey(absorbedId);
  const payload = payloadFingerprint({ survivorId, absorbedId, reason: request.reason });
  const earlier = (applied: AppliedKey): MergeOutcome =>
    isSameApplication(applied, survivorId, payload) && applied.answer
      ? { outcome: "replayed", answer: applied.answer as MergeAnswer }
      : { outcome: "already-merged", applied };
  let attempts = 0;
  return withOptimisticRetry(async (): Promise<MergeOutcome | { outcome: "conflict" }> => {
    attempts += 1;
    const applied = await deps.members.getAppliedKey(sourceKey);
    if (applied) return earlier(applied);
    const [survivor, absorbed] = await Promise.all([load(deps, survivorId), load(deps, absorbedId)]);
    const now = deps.clock();
    const merged = mergeMembers({
      survivor: survivor.state as MemberState,
      absorbed: absorbed.state as MemberState,
      program,
      request,
      now,
    });
    const answer: MergeAnswer = {
      memberId: survivorId,
      absorbedId,
      ...merged.moved,
      balance: spendableBalance(merged.survivor.state),
      mergedAt: now.toISOString(),
    };
    const first = merged.survivor.entries[0] as StoredEntry;
    const items: TransactWriteItem[] = [
      {
        Put: businessKeyPut(deps.tableName, sourceKey, {
          memberId: survivorId,
          payload,
          appliedAt: answer.mergedAt,
          ledgerSk: ledgerSortKey(first),
          answer,
        }),
      },
      deps.members.statePutAction({
        memberId: survivorId,
        previous: survivor,
        nextState: merged.survivor.state as StoredState,
      }),
      deps.members.statePutAction({
        memberId: absorbedId,
        previous: absorbed,
        nextState: merged.absorbed.state as StoredState,
      }),
      ...deps.members.ledgerPutActions({
        memberId: survivorId,
        entries: merged.survivor.entries,
        outbound: outboxOf(program, merged.survivor).stored,
      }),
      ...deps.members.ledgerPutActions({
        memberId: absorbedId,
        entries: merged.absorbed.entries,
        outbound: outboxOf(program, merged.absorbed).stored,
      }),
      ...(await deps.members.duplicateMergeActions(survivorId, absorbedId)),
      ...(await deps.members.moveOffersActions(absorbedId, survivorId)),
      // Settling either member may expire a partner's lot, and the merge moves partner points between shards.
      ...deps.members.partnerCounterWritesOf([
        { memberId: survivorId, entries: merged.survivor.entries },
        { memberId: absorbedId, entries: merged.absorbed.entries },
      ]),
    ];
    if (items.length > MAX_TRANSACTION_ITEMS) throw new MergeTooLarge(items.length);
    try {
      await deps.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { outcome: "merged", answer, attempts };
    } catch (error) {
      // Someone changed either member, a profile or an offer code since they were read: decide again.
      if (error instanceof TransactionCanceledException) return { outcome: "conflict" };
      throw error;
    }
  }, deps.retry);
}

/** `runMemberMerge` with its table bound once; the clock and retries come with each request. */
export type MemberMerger = (
  options: Pick<MergeDeps, "clock" | "retry">,
  input: Parameters<typeof runMemberMerge>[1],
) => Promise<MergeOutcome>;

export function createMemberMerger(table: Pick<MergeDeps, "members" | "client" | "tableName">): MemberMerger {
  return (options, input) => runMemberMerge({ ...table, ...options }, input);
}
