import { monthOf, utcDay } from "../time";
import type { LedgerEntry } from "./ledger-entry";

// Attribution rule (issue #18, coalition partners). Every point belongs to an issuer: the retailer (no partner)
// or the partner whose purchase earned it; lots are kept per (expiry day, issuer) (lots.ts). A ledger entry
// that moves a partner's points records, in `partners`, the signed change of each partner's outstanding points
// (spendable + pending) it caused: an earn adds to the purchase's partner; a redemption, an expiry, a refund or
// a marketer's debit takes from the lots it used, whoever issued them. Bonuses, interactions and credits are
// the retailer's. So each partner's outstanding points always equal the sum of its shares over the ledger, and
// the statement figures (issued, redeemed, expired, reversed) are those shares grouped by entry kind.

/** Signed change of one partner's outstanding points caused by one ledger entry. */
export interface PartnerShare {
  partnerId: string;
  points: number;
}

/** The shares of a set of lots (one entry's), grouped by partner, signed; the retailer's lots are left out. */
export function partnerShares(
  lots: readonly { partner?: string; points: number }[],
  sign: 1 | -1,
): PartnerShare[] {
  const totals = new Map<string, number>();
  for (const lot of lots)
    if (lot.partner !== undefined && lot.points !== 0)
      totals.set(lot.partner, (totals.get(lot.partner) ?? 0) + lot.points);
  return [...totals]
    .filter(([, points]) => points !== 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([partnerId, points]) => ({ partnerId, points: sign * points }));
}

/** `{ partners }` for an entry, or nothing when no partner's points moved (entries stay as they were). */
export function sharesField(shares: readonly PartnerShare[]): { partners?: PartnerShare[] } {
  return shares.length > 0 ? { partners: [...shares] } : {};
}

/** One partner's figures for one month (UTC), as a statement counts them. */
export interface PartnerMovement {
  partnerId: string;
  month: string;
  /** Points credited to the partner's lots (purchases with it). */
  issued: number;
  /** The partner's points spent on any reward. */
  redeemed: number;
  expired: number;
  /** The partner's points taken back by refunds and marketers' debits. */
  reversed: number;
  /** Points members spent on rewards the partner funds (whoever issued those points). */
  redeemedWith: number;
}

const ZERO = { issued: 0, redeemed: 0, expired: 0, reversed: 0, redeemedWith: 0 };

/** What a set of ledger entries adds to each partner's monthly figures (zero movements left out). */
export function partnerMovements(entries: readonly LedgerEntry[]): PartnerMovement[] {
  const byKey = new Map<string, PartnerMovement>();
  const movement = (partnerId: string, occurredAt: string) => {
    const month = monthOf(utcDay(occurredAt));
    const key = `${partnerId}\n${month}`;
    const found = byKey.get(key) ?? { partnerId, month, ...ZERO };
    byKey.set(key, found);
    return found;
  };
  for (const entry of entries) {
    for (const share of entry.partners ?? []) {
      const m = movement(share.partnerId, entry.occurredAt);
      // Only an earning issues; any other entry's share (a refund, a debit, or points moved between two
      // members, whose two shares cancel) nets into reversed, so issued − redeemed − expired − reversed
      // always equals the sum of the shares.
      if (entry.kind === "earn" || entry.kind === "bonus") m.issued += share.points;
      else if (entry.kind === "redeem") m.redeemed -= share.points;
      else if (entry.kind === "expire") m.expired -= share.points;
      else m.reversed -= share.points;
    }
    const details = entry.details;
    if (details?.type === "redemption" && details.partnerId !== undefined && entry.points < 0)
      movement(details.partnerId, entry.occurredAt).redeemedWith -= entry.points;
  }
  return [...byKey.values()].filter(hasMovement);
}

const hasMovement = (m: PartnerMovement) =>
  m.issued !== 0 || m.redeemed !== 0 || m.expired !== 0 || m.reversed !== 0 || m.redeemedWith !== 0;
