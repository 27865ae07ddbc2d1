import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { resolveMember, settleMember } from "../../domain/member/lifecycle";
import type { MemberState, UseCaseResult } from "../../domain/member/member-state";
import type { Program } from "../../domain/program/program-schema";
import { sourceKeyFingerprint } from "../adapters/dynamo/keys";
import type { MemberRepository, MemberSnapshot } from "../adapters/dynamo/member-repository";
import { type OptimisticRetryOptions, withOptimisticRetry } from "../adapters/dynamo/optimistic-retry";
import type { ProgramRepository } from "../adapters/dynamo/program-repository";
import { HttpError } from "./http-errors";
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

export type ChangeOutcome = { outcome: "committed"; result: UseCaseResult } | { outcome: "duplicate" };

/**
 * Read–compute–commit of one use case for one member, retried when another writer won the race. The
 * use case always sees the stored state (it settles it itself), so what is committed is exactly what
 * it computed. "duplicate": `sourceKey` was already applied.
 */
export async function changeMember(
  deps: HttpApiDeps,
  memberId: string,
  sourceKey: string,
  now: Date,
  run: (state: MemberState, program: Program) => UseCaseResult,
): Promise<ChangeOutcome> {
  const program = await programInEffectNow(deps, now);
  const fingerprint = sourceKeyFingerprint(sourceKey);
  let last: UseCaseResult | undefined;
  const outcome = await withOptimisticRetry(
    async () => {
      last = undefined;
      const previous = await deps.members.getMember<MemberState & Record<string, unknown>>(memberId);
      // Seen before: answer "duplicate" before the use case could reject the retry on today's state.
      if (previous?.recentKeys.includes(fingerprint)) return { outcome: "duplicate" as const };
      const state = resolveMember(previous?.state, memberId, program, now);
      last = run(state, program);
      return deps.members.commit({
        memberId,
        previous,
        nextState: last.state as MemberState & Record<string, unknown>,
        entries: last.entries,
        sourceKey,
        outbound: last.outbound,
      });
    },
    { ...DEFAULT_RETRY, ...deps.retry },
  );
  if (outcome.outcome === "duplicate" || !last) return { outcome: "duplicate" };
  return { outcome: "committed", result: last };
}
