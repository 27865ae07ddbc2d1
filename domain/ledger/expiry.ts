import type { MemberState, UseCaseResult } from "../member/member-state";
import type { Program } from "../program/program-schema";
import { dayStart, utcDay } from "../time";
import type { LedgerEntry, OutboundEvent } from "./ledger-entry";
import { releasePending, spendableBalance } from "./lots";
import { pointsEvent } from "./outbound";

/**
 * Expires every spendable lot whose expiry day has come (due pending points are released first), one "expire"
 * entry per expiry day. Entry ids come from the member and the day, so a re-run is recognised as a duplicate.
 */
export function expirePoints(state: MemberState, program: Program, now: Date | string): UseCaseResult {
  const today = utcDay(now);
  const next = structuredClone(releasePending(state, now));
  const due = next.points.lots.filter((l) => l.expiresOn <= today);
  if (due.length === 0) return { state: next, entries: [], outbound: [] };
  next.points.lots = next.points.lots.filter((l) => l.expiresOn > today);
  const entries: LedgerEntry[] = [];
  const outbound: OutboundEvent[] = [];
  // Each event's balance is the balance after that day's expiry; later days are still in it.
  let balance = spendableBalance(next) + due.reduce((sum, l) => sum + l.points, 0);
  for (const lot of due) {
    next.lifetime.pointsExpired += lot.points;
    balance -= lot.points;
    const entry: LedgerEntry = {
      entryId: `expire:${next.memberId}:${lot.expiresOn}`,
      memberId: next.memberId,
      kind: "expire",
      points: -lot.points,
      statusPoints: 0,
      reason: `${lot.points} points expired on ${lot.expiresOn} (valid for ${program.expiry.validityMonths} months)`,
      ruleIds: [program.expiry.ruleId],
      programVersion: program.version,
      sourceKey: `expiry:${next.memberId}:${lot.expiresOn}`,
      occurredAt: dayStart(lot.expiresOn),
      details: { type: "expiry", expiresOn: lot.expiresOn },
    };
    entries.push(entry);
    outbound.push(...pointsEvent("Points Expired", entry, balance, { expiresOn: lot.expiresOn }));
  }
  return { state: next, entries, outbound };
}
