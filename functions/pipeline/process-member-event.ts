import type { EventTimeKind, MemberState, Program, UseCaseResult } from "../../domain";
import { payloadFingerprint } from "../adapters/dynamo/keys";
import { IdempotencyKeyConflict, NoProgramInEffect } from "../shared/errors";
import { type KeyApplied, type MemberChangeOutcome, runMemberChange } from "../shared/member-change";
import { assertEventTime } from "./event-time";
import type { PipelineDeps } from "./ports";

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
   * refund reads its purchase), may throw a typed error, and answers with the business key's record
   * when what it read shows the key was applied already (a duplicate or a conflict, by its payload).
   */
  decide(state: MemberState, program: Program, now: Date): Promise<UseCaseResult | KeyApplied>;
}

export async function programAt(deps: Pick<PipelineDeps, "programs">, occurredAt: string): Promise<Program> {
  const program = await deps.programs.inEffectAt(occurredAt);
  if (!program) throw new NoProgramInEffect(occurredAt);
  return program;
}

/**
 * Load → decide → commit (functions/shared/member-change.ts), retried with jittered backoff when another
 * change for the same member committed first (the commit's version condition failed), so no update is lost.
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
  const result = await runMemberChange(
    deps.members,
    {
      memberId: event.memberId,
      sourceKey: event.sourceKey,
      payload: event.payload,
      program,
      clock: deps.clock,
      decide: (state, now) => event.decide(state, program, now),
    },
    deps.retry,
  );
  return toProcessOutcome(deps, result, event);
}

/** What one member change did, as the consumers report it: a key applied with another payload throws. */
export function toProcessOutcome(
  deps: Pick<PipelineDeps, "logger">,
  result: MemberChangeOutcome<Record<string, unknown>>,
  change: Pick<MemberEvent, "memberId" | "sourceKey" | "payload">,
): ProcessOutcome {
  if (result.outcome === "key-conflict") {
    throw new IdempotencyKeyConflict({
      applied: result.applied.payload,
      received: change.payload,
      sameMember: result.applied.memberId === change.memberId,
    });
  }
  if (result.attempts > 1)
    deps.logger.info("commit retried after concurrent changes", {
      memberId: change.memberId,
      attempts: result.attempts,
    });
  if (result.outcome === "duplicate") {
    deps.logger.info("duplicate, ignored", { memberId: change.memberId, sourceKey: change.sourceKey });
    return { outcome: "duplicate" };
  }
  if (result.outcome === "unchanged") return { outcome: "unchanged" };
  return {
    outcome: "committed",
    version: result.version,
    entries: result.result.entries.length,
    published: result.published,
  };
}

/** The payload a business key promises: the event's detail without what a producer re-stamps on a retry. */
export function eventPayload(detail: { occurredAt: string }): string {
  return payloadFingerprint({ ...detail, occurredAt: undefined });
}
