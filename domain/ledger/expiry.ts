import type { MemberState, UseCaseResult } from "../member/member-state";
import { copyData } from "../plain-data";
import type { Program } from "../program/program-schema";
import { dayStart, utcDay } from "../time";
import type { LedgerEntry, OutboundEvent } from "./ledger-entry";
import { releasePending, spendableBalance } from "./lots";
import { pointsEvent } from "./outbound";
import { partnerShares, sharesField } from "./partner-shares";

/**
 * Expires every spendable lot whose expiry day has come (due pending points are released first), one "expire"
 * entry per expiry day. Entry ids come from the member and the day, so a re-run is recognised as a duplicate.
 * With nothing due the state comes back as it was given (not a copy): copy it before changing it.
 */
export function expirePoints(state: MemberState, program: Program, now: Date | string): UseCaseResult {
  const today = utcDay(now);
  const released = releasePending(state, now);
  // Most events find nothing due: no copy then (the one caller copies before it changes anything).
  if (!released.points.lots.some((l) => l.expiresOn <= today))
    return { state: released, entries: [], outbound: [] };
  const next = released === state ? copyData(state) : released;
  const due = next.points.lots.filter((l) => l.expiresOn <= today);
  next.points.lots = next.points.lots.filter((l) => l.expiresOn > today);
  const entries: LedgerEntry[] = [];
  const outbound: OutboundEvent[] = [];
  // Lots are kept per issuer, so one day may have several; the day's entry sums them and names the partners'.
  const days = [...new Set(due.map((l) => l.expiresOn))];
  // Each event's balance is the balance after that day's expiry; later days are still in it.
  let balance = spendableBalance(next) + due.reduce((sum, l) => sum + l.points, 0);
  for (const day of days) {
    const lots = due.filter((l) => l.expiresOn === day);
    const points = lots.reduce((sum, l) => sum + l.points, 0);
    next.lifetime.pointsExpired += points;
    balance -= points;
    const entry: LedgerEntry = {
      entryId: `expire:${next.memberId}:${day}`,
      memberId: next.memberId,
      kind: "expire",
      points: -points,
      statusPoints: 0,
      reason: `${points} points expired on ${day} (valid for ${program.expiry.validityMonths} months)`,
      ruleIds: [program.expiry.ruleId],
      programVersion: program.version,
      sourceKey: `expiry:${next.memberId}:${day}`,
      occurredAt: dayStart(day),
      details: { type: "expiry", expiresOn: day },
      ...sharesField(partnerShares(lots, -1)),
    };
    entries.push(entry);
    outbound.push(...pointsEvent("Points Expired", entry, balance, { expiresOn: day }));
  }
  return { state: next, entries, outbound };
}
