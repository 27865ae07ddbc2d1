import {
  type EventTimeKind,
  type MemberState,
  type Program,
  resolveMember,
  type UseCaseResult,
} from "../../domain";
import { encodeOutbound } from "../adapters/bus/outbox-codec";
import { appliedFingerprint, payloadFingerprint } from "../adapters/dynamo/keys";
import type { MemberSnapshot } from "../adapters/dynamo/member-repository";
import { withOptimisticRetry } from "../adapters/dynamo/optimistic-retry";
import { IdempotencyKeyConflict, NoProgramInEffect } from "../shared/errors";
import { assertEventTime } from "./event-time";
import { toPublishable } from "./mapping";
import type { PipelineDeps, StoredEntry, StoredState } from "./ports";

/** What happened to one event. "unchanged": the program gives it no effect (e.g. a capped interaction). */
export type ProcessOutcome =
  | { outcome: "committed"; version: number; entries: number; published: number }
  | { outcome: "duplicate" }
  | { outcome: "unchanged" };

export interface MemberEvent {
  memberId: string;
  /** What the event is; decides which time-policy checks apply (domain/time-policy.ts). */
  kind: EventTimeKind;
  /** Business key: applied once, for ever (its record is written with the change); ledger ids derive from it. */
  sourceKey: string;
  /** Fingerprint of what the key promises (`eventPayload`): a re-send with another payload is a conflict. */
  payload: string;
  occurredAt: string;
  /**
   * The domain use case. Called once per attempt with freshly loaded state; may read more (a
   * refund reads its purchase), may throw a typed error, and answers "duplicate" when what it read
   * shows the event was applied already.
   */
  decide(state: MemberState, program: Program, now: Date): Promise<UseCaseResult | "duplicate">;
}

export async function programAt(deps: PipelineDeps, occurredAt: string): Promise<Program> {
  const program = await deps.programs.inEffectAt(occurredAt);
  if (!program) throw new NoProgramInEffect(occurredAt);
  return program;
}

/**
 * Load → decide → commit, retried with jittered backoff when another event for the same member
 * committed first (the commit's version condition failed), so no update is ever lost.
 *
 * `now` is the processing time (the clock), not the event's occurredAt. The domain settles a member
 * up to `now` — releases pending points, expires lots, runs tier reviews — and that must follow real,
 * monotonic time: with occurredAt, one event from a producer with a clock set in the future would
 * expire points early, and an old event replayed late would leave the member half-settled.
 * occurredAt still decides everything about the event itself: the program version, the qualifying
 * month, promotions, the pending period and expiry dates.
 */
export async function processMemberEvent(deps: PipelineDeps, event: MemberEvent): Promise<ProcessOutcome> {
  const program = await programAt(deps, event.occurredAt);
  assertEventTime({ program, occurredAt: event.occurredAt, now: deps.clock(), kind: event.kind });
  const fingerprint = appliedFingerprint(event.sourceKey, event.payload);
  let attempts = 0;
  const result = await withOptimisticRetry(async () => {
    attempts += 1;
    const previous = await deps.members.getMember<StoredState>(event.memberId);
    // Cheap early exit for a recent redelivery; commit() would answer the same without writing.
    if (previous?.recentKeys.includes(fingerprint)) return { outcome: "duplicate" as const };
    const now = deps.clock();
    const state = resolveMember(previous?.state, event.memberId, program, now);
    const decided = await event.decide(state, program, now);
    if (decided === "duplicate") return { outcome: "duplicate" as const };
    // No effect is recorded too, so a re-send stamped into another period cannot have one later.
    if (decided.entries.length === 0) return deps.members.recordNoEffect(event);
    const outbound = toPublishable(decided.outbound, decided.entries);
    const carrier = decided.entries[0] as StoredEntry;
    const commit = await deps.members.commit({
      memberId: event.memberId,
      previous: previous as MemberSnapshot<StoredState> | undefined,
      nextState: decided.state as StoredState,
      entries: decided.entries as StoredEntry[],
      sourceKey: event.sourceKey,
      payload: event.payload,
      // Stored on the first entry, minus what that entry already says (outbox-codec.ts).
      outbound: encodeOutbound(outbound, carrier),
    });
    if (commit.outcome !== "committed") return commit;
    return {
      outcome: "committed" as const,
      version: commit.version,
      entries: decided.entries.length,
      published: outbound.length,
    };
  }, deps.retry);
  if (result.outcome === "key-conflict") {
    throw new IdempotencyKeyConflict({
      applied: result.applied.payload,
      received: event.payload,
      sameMember: result.applied.memberId === event.memberId,
    });
  }
  if (attempts > 1)
    deps.logger.info("commit retried after concurrent changes", { memberId: event.memberId, attempts });
  if (result.outcome === "duplicate")
    deps.logger.info("duplicate, ignored", { memberId: event.memberId, sourceKey: event.sourceKey });
  return result;
}

/** The payload a business key promises: the event's detail without what a producer re-stamps on a retry. */
export function eventPayload(detail: { occurredAt: string }): string {
  return payloadFingerprint({ ...detail, occurredAt: undefined });
}
