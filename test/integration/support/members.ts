import type { LedgerEntry } from "../../../domain/ledger/ledger-entry";
import type { MemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import {
  type OptimisticRetryOptions,
  withOptimisticRetry,
} from "../../../functions/adapters/dynamo/optimistic-retry";

// A stand-in for the domain: a member state holding a points balance, and the domain's own earn entries. The
// repository treats both as opaque JSON.

export interface TestState extends Record<string, unknown> {
  points: number;
}

export function earnEntry(
  memberId: string,
  sourceKey: string,
  points: number,
  occurredAt: string,
): LedgerEntry {
  return {
    entryId: `earn:${sourceKey}`,
    memberId,
    kind: "earn",
    points,
    statusPoints: points,
    reason: "purchase",
    ruleIds: ["base-earn"],
    programVersion: 1,
    sourceKey,
    occurredAt,
  };
}

/** Read–compute–commit of one earn event, retried on conflicts like a handler would. */
export function applyEarn(
  repository: MemberRepository,
  memberId: string,
  sourceKey: string,
  points: number,
  occurredAt: string,
  retry: OptimisticRetryOptions = {},
) {
  return withOptimisticRetry(async () => {
    const previous = await repository.getMember<TestState>(memberId);
    return repository.commit({
      memberId,
      previous,
      nextState: { points: (previous?.state.points ?? 0) + points },
      entries: [earnEntry(memberId, sourceKey, points, occurredAt)],
      sourceKey,
      payload: "same",
      outbound: [{ type: "PointsEarned", detail: { memberId, points } }],
    });
  }, retry);
}
