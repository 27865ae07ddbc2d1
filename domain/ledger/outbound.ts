import type { LedgerEntry, OutboundEvent, PointsEventType } from "./ledger-entry";

/** The outbound event for a points entry, or none when nothing moved (events carry a positive amount). */
export function pointsEvent(
  type: PointsEventType,
  entry: LedgerEntry,
  /** Spendable balance after the entry. */
  balance: number,
  extra: { rewardId?: string; expiresOn?: string; partnerId?: string } = {},
): OutboundEvent[] {
  const points = Math.abs(entry.points) + Math.abs(entry.pendingPoints ?? 0);
  if (points === 0) return [];
  return [
    {
      type,
      detail: {
        memberId: entry.memberId,
        ledgerEntryId: entry.entryId,
        points,
        balance,
        reason: entry.reason,
        ruleIds: entry.ruleIds,
        programVersion: entry.programVersion,
        sourceKey: entry.sourceKey,
        occurredAt: entry.occurredAt,
        ...extra,
      },
    },
  ];
}

/** Keeps reasons within what the outbound events accept (500 characters). */
export function clipReason(reason: string): string {
  return reason.length <= 500 ? reason : `${reason.slice(0, 497)}...`;
}

/** −n without producing −0, which JSON and deep-equality treat differently from 0. */
export function negative(n: number): number {
  return n === 0 ? 0 : -n;
}
