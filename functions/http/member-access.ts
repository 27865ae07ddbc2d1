import { resolveMember, settleMember } from "../../domain/member/lifecycle";
import type { MemberState, UseCaseResult } from "../../domain/member/member-state";
import type { Program } from "../../domain/program/program-schema";
import type { RejectedEventReader } from "../adapters/bus/rejected-events";
import type { AdjustmentStore } from "../adapters/dynamo/adjustment-store";
import type { AuditStore } from "../adapters/dynamo/audit-store";
import type { GrantStore } from "../adapters/dynamo/grant-store";
import type { IdentityLinks } from "../adapters/dynamo/identity-links";
import type { ImportJobStore } from "../adapters/dynamo/import-job-store";
import { payloadFingerprint } from "../adapters/dynamo/keys";
import type { MemberRepository, MemberSnapshot } from "../adapters/dynamo/member-repository";
import type { OptimisticRetryOptions } from "../adapters/dynamo/optimistic-retry";
import type { ProgramRepository } from "../adapters/dynamo/program-repository";
import type { TableHealth } from "../adapters/dynamo/table-health";
import type { AnalyticsStore } from "../analytics/analytics-store";
import type { AudienceCounter } from "../grants/grant-audience";
import type { ProblemSource } from "../migration/import-problems";
import type { MemberPrivacy } from "../privacy/member-privacy";
import type { MessageStore } from "../retention/message-store";
import { currentMember, runMemberChange } from "../shared/member-change";
import type { MemberMerger } from "../shared/member-merge";
import { HttpError, NotFoundError, UnprocessableError } from "./http-errors";
import type { TokenSigner } from "./signed-token";

/**
 * What the routes need: ports only, built once per cold start (or per test) by `createDeps` (app.ts). No raw
 * client or table name: every table read and write goes through one of these adapters
 * (test/unit/boundary/http-ports.test.ts).
 */
export interface HttpApiDeps {
  members: MemberRepository;
  programs: ProgramRepository;
  /** Cognito users linked to members (functions/adapters/dynamo/identity-links.ts). */
  identityLinks: IdentityLinks;
  adjustments: AdjustmentStore;
  audit: AuditStore;
  grants: GrantStore;
  /** How many members a grant's audience holds now. */
  audiences: AudienceCounter;
  importJobs: ImportJobStore;
  /** Every problem of an import attempt's rows, read in row order (GET /imports/{id}/problems). */
  importProblems: (job: { importId: string; attempt: number }) => ProblemSource;
  messages: MessageStore;
  analytics: AnalyticsStore;
  rejectedEvents: RejectedEventReader;
  mergeMembers: MemberMerger;
  /** Erasure and the member's items an export reads. */
  privacy: MemberPrivacy;
  /** The table answers (GET /health). */
  health: TableHealth;
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
  // A merged member reads as the member it was merged into.
  const current = await currentMember(deps.members, memberId);
  const snapshot = current.snapshot;
  const state = resolveMember(snapshot?.state, current.memberId, program, now);
  return { state: settleMember(state, program, now).state, snapshot };
}

export type ChangeOutcome<A> =
  | { outcome: "committed"; result: UseCaseResult; answer: A }
  /** The key was applied before with the same request: `answer` is the first one. */
  | { outcome: "replayed"; answer: A };

export interface HttpMemberChange<A extends Record<string, unknown>> {
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
 * One use case for one existing member through the shared runner (functions/shared/member-change.ts):
 * what is committed is exactly what the use case computed, its outbound events fit their contracts, and its
 * answer is committed with its business key so a retry replays it.
 */
export async function changeMember<A extends Record<string, unknown>>(
  deps: HttpApiDeps,
  change: HttpMemberChange<A>,
): Promise<ChangeOutcome<A>> {
  const { memberId, sourceKey, now } = change;
  const program = await programInEffectNow(deps, now);
  const payload = payloadFingerprint(change.request);
  const outcome = await runMemberChange(
    deps.members,
    {
      memberId,
      sourceKey,
      payload,
      program,
      clock: () => now,
      // Only enrolled members (or members the pipeline auto-enrolled) can be changed here.
      unknownMember: () => new NotFoundError(`No member ${memberId}`),
      decide: (state) => change.run(state, program),
      answer: change.answer,
    },
    { ...DEFAULT_RETRY, ...deps.retry },
  );
  if (outcome.outcome === "committed" && outcome.answer)
    return { outcome: "committed", result: outcome.result, answer: outcome.answer };
  if (outcome.outcome === "unchanged" || outcome.outcome === "committed")
    throw new Error(`change ${sourceKey} had no answer to give`);
  const applied = outcome.applied ?? (await deps.members.getAppliedKey(sourceKey));
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
