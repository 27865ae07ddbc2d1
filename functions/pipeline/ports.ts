import { type LedgerEntry, type MemberState, type Program, programInEffect } from "../../domain";
import type { MemberRepository } from "../adapters/dynamo/member-repository";
import type { OptimisticRetryOptions } from "../adapters/dynamo/optimistic-retry";
import type { Logger } from "../shared/logger";

// What the use cases need from the outside world. The DynamoDB adapters satisfy these structurally;
// tests and the local stack can swap any of them.

/** Versions of the loyalty program; events are processed under the version in effect when they occurred. */
export interface ProgramSource {
  inEffectAt(occurredAt: string): Promise<Program | undefined>;
}

/** A fixed list of versions, e.g. `[exampleProgram]` for tests and the local stack. */
export function staticProgramSource(programs: readonly Program[]): ProgramSource {
  return { inEffectAt: async (occurredAt) => programInEffect(programs, occurredAt) };
}

/** The member repository's operations the pipeline uses. */
export type MemberStore = Pick<
  MemberRepository,
  | "getMember"
  | "getMembers"
  | "commit"
  | "commitTogether"
  | "recordNoEffect"
  | "createMember"
  | "findOrderEntries"
  | "getAppliedKey"
  | "mergeProfile"
  | "createOrMergeProfile"
  | "getProfile"
  | "putState"
  | "getOffers"
  | "offerWrites"
  | "partnerCounterWrites"
  | "referralCodeOwner"
>;

/** The domain state as the repository stores it (an opaque JSON map there). */
export type StoredState = MemberState & Record<string, unknown>;
export type StoredEntry = LedgerEntry & Record<string, unknown>;

export interface PipelineDeps {
  members: MemberStore;
  programs: ProgramSource;
  /**
   * Processing time, used as the domain's `now` (see process-member-event.ts for why it is the clock
   * and not the event's occurredAt). Injected so tests are deterministic.
   */
  clock: () => Date;
  logger: Logger;
  /** Search depth for a refund's purchase, in days before the refund. */
  refundLookbackDays: number;
  /**
   * Source patterns (IAM StringLike) of producers that may refund other producers' orders; default none
   * (domain/member/refund-origin.ts).
   */
  refundAuthoritySources?: readonly string[];
  /**
   * Each producer's source patterns (IAM StringLike): a producer may refund the orders of any of its own
   * sources; default none, so a refund may name only its own source (domain/member/refund-origin.ts).
   */
  producerSources?: readonly (readonly string[])[];
  retry?: OptimisticRetryOptions;
}
