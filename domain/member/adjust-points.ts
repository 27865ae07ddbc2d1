import { InsufficientPoints, InvalidFacts } from "../errors";
import type { LedgerEntry } from "../ledger/ledger-entry";
import { addSpendable, spendableBalance, takeSpendable } from "../ledger/lots";
import { clipReason, pointsEvent } from "../ledger/outbound";
import { type PartnerShare, partnerShares, sharesField } from "../ledger/partner-shares";
import type { Program } from "../program/program-schema";
import { addMonths, toIsoInstant, utcDay } from "../time";
import { settleMember } from "./lifecycle";
import type { MemberState, UseCaseResult } from "./member-state";

export interface Adjustment {
  /** Signed whole points; positive credits a lot valid per the program's expiry rule. */
  amount: number;
  /** Why, in words the member may read. */
  reason: string;
  /** Who made it (staff id or system name; no personal data). */
  actor: string;
  /** Idempotency key of the adjustment request. */
  adjustmentKey: string;
  /** The second marketer, for an adjustment that needed approval (staff name; no personal data). */
  approvedBy?: string;
}

export const MANUAL_ADJUSTMENT_RULE_ID = "manual-adjustment";

/** A manual correction by customer service. A debit may not take the balance below zero. */
export function adjustPoints(
  state: MemberState,
  program: Program,
  adjustment: Adjustment,
  now: Date | string,
): UseCaseResult {
  if (!Number.isInteger(adjustment.amount) || adjustment.amount === 0)
    throw new InvalidFacts("amount", "must be a whole number of points other than 0");
  if (adjustment.reason.trim() === "") throw new InvalidFacts("reason", "must say why the points change");
  const at = toIsoInstant(now);
  const settled = settleMember(state, program, at);
  const s = settled.state;
  let expiresOn: string | undefined;
  let shares: PartnerShare[] = [];
  if (adjustment.amount > 0) {
    expiresOn = addMonths(utcDay(at), program.expiry.validityMonths);
    addSpendable(s.points, expiresOn, adjustment.amount);
  } else {
    const available = spendableBalance(s);
    if (-adjustment.amount > available)
      throw new InsufficientPoints(-adjustment.amount, Math.max(0, available));
    // The retailer's own points go first; a partner's are taken only when the rest does not cover the debit.
    shares = partnerShares(takeSpendable(s.points, -adjustment.amount, (lot) => !lot.partner).taken, -1);
  }
  const entry: LedgerEntry = {
    entryId: `adjust:${adjustment.adjustmentKey}`,
    memberId: s.memberId,
    kind: "adjust",
    points: adjustment.amount,
    statusPoints: 0,
    reason: clipReason(
      `Adjustment by ${adjustment.actor}${adjustment.approvedBy ? ` (approved by ${adjustment.approvedBy})` : ""}: ${adjustment.reason}`,
    ),
    ruleIds: [MANUAL_ADJUSTMENT_RULE_ID],
    programVersion: program.version,
    sourceKey: adjustment.adjustmentKey,
    occurredAt: at,
    details: {
      type: "adjustment",
      actor: adjustment.actor,
      ...(adjustment.approvedBy && { approvedBy: adjustment.approvedBy }),
      ...(expiresOn && { expiresOn }),
    },
    ...sharesField(shares),
  };
  // A debit reverses no earning, so it is not "Points Reversed" (whose contract names the earning).
  const type = adjustment.amount > 0 ? "Points Earned" : "Points Deducted";
  return {
    state: s,
    entries: [...settled.entries, entry],
    outbound: [...settled.outbound, ...pointsEvent(type, entry, spendableBalance(s))],
  };
}
