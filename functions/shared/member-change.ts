import type { MemberState, Program, UseCaseResult } from "../../domain";
import { completionsIn } from "../../domain/challenges/challenge-completion";
import { rememberCompleted } from "../../domain/challenges/challenge-state";
// Values from their own module, not the domain barrel: through the barrel esbuild ties the HTTP API's cold start
// to the chunk that builds the program schema (test/infra/bundling.test.ts).
import { resolveMember } from "../../domain/member/lifecycle";
import { publishes } from "../../domain/program/outbound-schema";
import { encodeOutbound } from "../adapters/bus/outbox-codec";
import { type AppliedKey, isSameApplication } from "../adapters/dynamo/business-keys";
import { appliedFingerprint, challengeCompletionKey } from "../adapters/dynamo/keys";
import type { CommitInput, MemberRepository, MemberSnapshot } from "../adapters/dynamo/member-repository";
import { type OptimisticRetryOptions, withOptimisticRetry } from "../adapters/dynamo/optimistic-retry";
import { toPublishable } from "../pipeline/mapping";
import type { StoredEntry, StoredState } from "../pipeline/ports";

// The one load → decide → commit runner. The event pipeline and the HTTP API both change members through
// it, so both get the same exactly-once record, the same optimistic retry, and outbound events mapped to
// and validated against their published contracts before they are stored in the outbox.

export type MemberChangeStore = Pick<
  MemberRepository,
  "getMember" | "commit" | "recordNoEffect" | "offerWrites" | "partnerCounterWrites"
>;

export interface MemberChange<A extends Record<string, unknown>> {
  memberId: string;
  /** Business key: applied once, for ever. */
  sourceKey: string;
  /** Fingerprint of what the key promises: the same key with another payload is a conflict. */
  payload: string;
  program: Program;
  /** The domain's `now`, read once per attempt. */
  clock: () => Date;
  /** A member with no STATE item: the error to throw, or undefined to let the program's enrolment policy decide. */
  unknownMember?: () => Error;
  /**
   * The domain use case, called once per attempt with freshly loaded state; may read more (a refund reads
   * its purchase) and answers with the key's record when what it read shows the key was applied already.
   */
  decide(state: MemberState, now: Date): Promise<UseCaseResult | KeyApplied> | UseCaseResult;
  /** The answer to store with the business key, for callers that replay it (HTTP). */
  answer?: (result: UseCaseResult) => A;
}

/** The record of the change's business key, read by a use case: compared like a commit's failed key condition. */
export interface KeyApplied {
  keyApplied: AppliedKey;
}

export type MemberChangeOutcome<A> = { attempts: number } & (
  | { outcome: "committed"; version: number; result: UseCaseResult; answer?: A; published: number }
  /** Applied before with the same payload; `applied` when the key record was read. */
  | { outcome: "duplicate"; applied?: AppliedKey }
  /** The use case gave the change no effect; only its key was recorded. */
  | { outcome: "unchanged" }
  | { outcome: "key-conflict"; applied: AppliedKey }
);

/** Forwarding records followed at most this far (a survivor absorbed later forwards once more). */
const MAX_FORWARDS = 4;

/**
 * The member a change for `memberId` applies to, with its snapshot: the member itself, or, when it was merged
 * into another (domain/member/merge-members.ts), the member it was merged into.
 */
export async function currentMember(
  members: Pick<MemberRepository, "getMember">,
  memberId: string,
): Promise<{ memberId: string; snapshot: MemberSnapshot<StoredState> | undefined }> {
  let current = { memberId, snapshot: await members.getMember<StoredState>(memberId) };
  for (let hop = 0; hop < MAX_FORWARDS; hop += 1) {
    const next = current.snapshot?.state.status === "merged" ? current.snapshot.state.mergedInto : undefined;
    if (next === undefined) break;
    current = { memberId: next, snapshot: await members.getMember<StoredState>(next) };
  }
  return current;
}

/**
 * A use case's outbound events mapped to their contracts, checked, filtered by the program's `outbound.publish`,
 * and encoded for its first ledger entry (outbox-codec.ts), which carries them to the outbox publisher.
 */
export function outboxOf(program: Program, result: UseCaseResult) {
  const first = result.entries[0];
  if (!first || result.outbound.length === 0) return { stored: [] };
  // Only the types the program publishes are mapped and checked against their contract (built on first use).
  const published = result.outbound.filter((event) => publishes(program, event.type));
  return { stored: encodeOutbound(toPublishable(published, result.entries), first as StoredEntry) };
}

/** A decided change as the commit takes it: what runMemberChange commits, and the batch runner commits together. */
export interface DecidedChange {
  /** The member the event named. */
  memberId: string;
  /** The member it applies to: `memberId`, or the member it was merged into (currentMember). */
  target: string;
  previous: MemberSnapshot<StoredState> | undefined;
  sourceKey: string;
  payload: string;
  program: Program;
  /** The use case's result, with at least one ledger entry. */
  decided: UseCaseResult;
  answer?: Record<string, unknown>;
}

/**
 * The commit of a decided change: its state and entries, its outbound events in the outbox, the challenges it
 * completes as once-for-ever keys, and its writes to the member's offer codes and partner counters.
 */
export function commitOf(
  members: Pick<MemberChangeStore, "offerWrites" | "partnerCounterWrites">,
  change: DecidedChange,
) {
  const { memberId, target, decided } = change;
  const outbound = outboxOf(change.program, decided);
  const completions = completionsIn(decided.entries as StoredEntry[]).map(({ challengeId, entry }) => ({
    challengeId,
    key: challengeCompletionKey(challengeId, target),
    entry,
  }));
  const input: CommitInput<StoredState, StoredEntry> = {
    memberId: target,
    ...(target !== memberId && { keyMemberId: memberId }),
    previous: change.previous,
    nextState: decided.state as StoredState,
    entries: decided.entries as StoredEntry[],
    sourceKey: change.sourceKey,
    payload: change.payload,
    ...(change.answer && { answer: change.answer }),
    outbound: outbound.stored,
    onceKeys: completions,
    extraActions: [
      ...members.offerWrites(target, decided.entries),
      ...members.partnerCounterWrites(target, decided.entries),
    ],
  };
  return { input, completions, published: outbound.stored.length };
}

export async function runMemberChange<A extends Record<string, unknown>>(
  members: MemberChangeStore,
  change: MemberChange<A>,
  retry?: OptimisticRetryOptions,
): Promise<MemberChangeOutcome<A>> {
  const { memberId, sourceKey, payload, program } = change;
  const ringKey = appliedFingerprint(sourceKey, payload);
  // Challenges the store says were completed before, though the member's state had forgotten them.
  const completedBefore: string[] = [];
  let attempts = 0;
  const outcome = await withOptimisticRetry(async () => {
    attempts += 1;
    // A merged member's events apply to the member it was merged into; the key stays recorded for the one named.
    const { memberId: target, snapshot: previous } = await currentMember(members, memberId);
    // Cheap early exit for a recent redelivery; commit() would answer the same without writing.
    if (previous?.recentKeys.includes(ringKey)) return { outcome: "duplicate" as const };
    if (!previous && change.unknownMember) throw change.unknownMember();
    const now = change.clock();
    const state = rememberCompleted(resolveMember(previous?.state, target, program, now), completedBefore);
    const decided = await change.decide(state, now);
    if ("keyApplied" in decided) {
      const applied = decided.keyApplied;
      return isSameApplication(applied, memberId, payload)
        ? { outcome: "duplicate" as const, applied }
        : { outcome: "key-conflict" as const, applied };
    }
    // No effect is recorded too, so a re-send stamped into another period cannot have one later.
    if (decided.entries.length === 0) return members.recordNoEffect({ memberId, sourceKey, payload });
    const answer = change.answer?.(decided);
    const { input, completions, published } = commitOf(members, {
      memberId,
      target,
      previous,
      sourceKey,
      payload,
      program,
      decided,
      ...(answer && { answer }),
    });
    const commit = await members.commit(input);
    if (commit.outcome === "once-taken") {
      // Decided again with those challenges completed: the event applies without completing them twice.
      completedBefore.push(
        ...completions.filter((c) => commit.keys.includes(c.key)).map((c) => c.challengeId),
      );
      return { outcome: "conflict" as const };
    }
    if (commit.outcome !== "committed") return commit;
    return {
      outcome: "committed" as const,
      version: commit.version,
      result: decided,
      published,
      ...(answer && { answer }),
    };
  }, retry);
  return { ...outcome, attempts };
}
