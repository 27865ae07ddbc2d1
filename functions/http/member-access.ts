import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { resolveMember, settleMember } from "../../domain/member/lifecycle";
import type { MemberState, UseCaseResult } from "../../domain/member/member-state";
import type { Program } from "../../domain/program/program-schema";
import { appliedFingerprint, payloadFingerprint } from "../adapters/dynamo/keys";
import type { MemberRepository, MemberSnapshot } from "../adapters/dynamo/member-repository";
import { type OptimisticRetryOptions, withOptimisticRetry } from "../adapters/dynamo/optimistic-retry";
import type { ProgramRepository } from "../adapters/dynamo/program-repository";
import { HttpError, NotFoundError, UnprocessableError } from "./http-errors";
import type { TokenSigner } from "./signed-token";

/** What the routes need; built once per cold start (or per test). */
export interface HttpApiDeps {
  client: DynamoDBClient;
  tableName: string;
  members: MemberRepository;
  programs: ProgramRepository;
  signer: TokenSigner;
  /** Retries of a member change that lost a race; the defaults suit bursts on one member. */
  retry?: OptimisticRetryOptions;
}

const DEFAULT_RETRY: OptimisticRetryOptions = { maxAttempts: 25, baseDelayMs: 10, maxDelayMs: 400 };

export async function programInEffectNow(deps: HttpApiDeps, now: Date): Promise<Program> {
  const program = await deps.programs.inEffectAt(now);
  if (!program)
    throw new HttpError(503, "no-program", "No program in effect", "No loyalty program is in effect yet.");
  return program;
}

/** The member brought up to `now` in memory (due pending points released, expiries applied); one GetItem. */
export async function readMember(
  deps: HttpApiDeps,
  memberId: string,
  program: Program,
  now: Date,
): Promise<{
  state: MemberState;
  snapshot: MemberSnapshot<MemberState & Record<string, unknown>> | undefined;
}> {
  const snapshot = await deps.members.getMember<MemberState & Record<string, unknown>>(memberId);
  const state = resolveMember(snapshot?.state, memberId, program, now);
  return { state: settleMember(state, program, now).state, snapshot };
}

export type ChangeOutcome<A> =
  | { outcome: "committed"; result: UseCaseResult; answer: A }
  /** The key was applied before with the same request: `answer` is the first one. */
  | { outcome: "replayed"; answer: A };

export interface MemberChange<A extends Record<string, unknown>> {
  memberId: string;
  /** Business key (member + Idempotency-Key): applied once, for ever. */
  sourceKey: string;
  /** What the key promises (the request body's meaning); the same key with another one is a 422. */
  request: Record<string, unknown>;
  now: Date;
  /** The use case, run on the stored state (it settles it itself). */
  run: (state: MemberState, program: Program) => UseCaseResult;
  /** The answer to the request, stored with the key so a retry at any later time gets it back. */
  answer: (result: UseCaseResult) => A;
}

/**
 * Read–compute–commit of one use case for one existing member, retried when another writer won the race.
 * What is committed is exactly what the use case computed; its answer is committed with it.
 */
export async function changeMember<A extends Record<string, unknown>>(
  deps: HttpApiDeps,
  change: MemberChange<A>,
): Promise<ChangeOutcome<A>> {
  const { memberId, sourceKey, now } = change;
  const program = await programInEffectNow(deps, now);
  const payload = payloadFingerprint(change.request);
  let last: { result: UseCaseResult; answer: A } | undefined;
  const outcome = await withOptimisticRetry(
    async () => {
      last = undefined;
      const previous = await deps.members.getMember<MemberState & Record<string, unknown>>(memberId);
      // Seen before: answer from the key's record before the use case could reject the retry on today's state.
      if (previous?.recentKeys.includes(appliedFingerprint(sourceKey, payload)))
        return { outcome: "duplicate" as const };
      // Only enrolled members (or members the pipeline auto-enrolled) can be changed here.
      if (!previous) throw new NotFoundError(`No member ${memberId}`);
      const state = resolveMember(previous.state, memberId, program, now);
      const result = change.run(state, program);
      last = { result, answer: change.answer(result) };
      return deps.members.commit({
        memberId,
        previous,
        nextState: result.state as MemberState & Record<string, unknown>,
        entries: result.entries,
        sourceKey,
        payload,
        answer: last.answer,
        outbound: result.outbound,
      });
    },
    { ...DEFAULT_RETRY, ...deps.retry },
  );
  if (outcome.outcome === "committed" && last) return { outcome: "committed", ...last };
  const applied =
    outcome.outcome === "duplicate" || outcome.outcome === "key-conflict"
      ? (outcome.applied ?? (await deps.members.getAppliedKey(sourceKey)))
      : undefined;
  if (!applied) throw new Error(`business key ${sourceKey} was reported applied but is not stored`);
  if (applied.payload !== payload) {
    throw new UnprocessableError(
      "This Idempotency-Key was already used for a different request; use a new key for a new request.",
      "idempotency-key-reused",
    );
  }
  if (!applied.answer) throw new Error(`business key ${sourceKey} has no stored answer`);
  return { outcome: "replayed", answer: applied.answer as A };
}
