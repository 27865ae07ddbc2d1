import type { MemberState, PointsLot } from "../member/member-state";
import { copyData } from "../plain-data";
import { addDays, type IsoDay, utcDay } from "../time";

type Points = MemberState["points"];

function sortLots<T extends { expiresOn: IsoDay; availableOn?: IsoDay; partner?: string }>(lots: T[]): T[] {
  return lots.sort(
    (a, b) =>
      (a.availableOn ?? "").localeCompare(b.availableOn ?? "") ||
      a.expiresOn.localeCompare(b.expiresOn) ||
      (a.partner ?? "").localeCompare(b.partner ?? ""),
  );
}

// Lots are merged per (expiry day, issuer): the retailer's own points carry no partner, a partner's carry its id,
// so every point's issuer is known until it is spent, expires or is reversed (domain/ledger/partner-shares.ts).
// Partners are few (MAX_PARTNERS), so this keeps the member item bounded.
const withPartner = (partner: string | undefined) => (partner === undefined ? {} : { partner });

/**
 * Adds spendable points (merging by expiry day and issuer). A debt is repaid first from the retailer's own
 * points only: a partner's points are what that partner pays for, so they never settle a debt to the retailer.
 * Mutates `points`.
 */
export function addSpendable(points: Points, expiresOn: IsoDay, amount: number, partner?: string): void {
  const repaid = partner === undefined ? Math.min(points.debt, amount) : 0;
  points.debt -= repaid;
  const rest = amount - repaid;
  if (rest <= 0) return;
  const lot = points.lots.find((l) => l.expiresOn === expiresOn && l.partner === partner);
  if (lot) lot.points += rest;
  else points.lots.push({ expiresOn, points: rest, ...withPartner(partner) });
  sortLots(points.lots);
}

export function addPending(
  points: Points,
  availableOn: IsoDay,
  expiresOn: IsoDay,
  amount: number,
  partner?: string,
): void {
  if (amount <= 0) return;
  const lot = points.pending.find(
    (l) => l.availableOn === availableOn && l.expiresOn === expiresOn && l.partner === partner,
  );
  if (lot) lot.points += amount;
  else points.pending.push({ availableOn, expiresOn, points: amount, ...withPartner(partner) });
  sortLots(points.pending);
}

/**
 * Takes up to `amount` spendable points, soonest-expiring first; with `first`, the lots it picks are used up
 * before the others (a refund takes back its own issuer's points first). Mutates `points`; returns what was
 * taken, lot by lot, with each lot's issuer.
 */
export function takeSpendable(
  points: Points,
  amount: number,
  first?: (lot: PointsLot) => boolean,
): { taken: PointsLot[]; total: number } {
  const taken: PointsLot[] = [];
  let left = amount;
  const order = first ? [...points.lots.filter(first), ...points.lots.filter((l) => !first(l))] : points.lots;
  for (const lot of order) {
    if (left <= 0) break;
    const take = Math.min(lot.points, left);
    lot.points -= take;
    left -= take;
    taken.push({ expiresOn: lot.expiresOn, points: take, ...withPartner(lot.partner) });
  }
  points.lots = points.lots.filter((l) => l.points > 0);
  return { taken, total: amount - left };
}

/** Takes up to `amount` from one pending lot (of one issuer). Mutates `points`; returns how many were taken. */
export function takePending(
  points: Points,
  availableOn: IsoDay,
  expiresOn: IsoDay,
  amount: number,
  partner?: string,
): number {
  const lot = points.pending.find(
    (l) => l.availableOn === availableOn && l.expiresOn === expiresOn && l.partner === partner,
  );
  if (!lot) return 0;
  const take = Math.min(lot.points, amount);
  lot.points -= take;
  points.pending = points.pending.filter((l) => l.points > 0);
  return take;
}

/**
 * Moves pending lots whose day has come into spendable lots. No ledger entry: the earn entry already
 * recorded these points as pending together with the day they become available.
 */
export function releasePending<S extends MemberState>(state: S, now: Date | string): S {
  const today = utcDay(now);
  if (!state.points.pending.some((l) => l.availableOn <= today)) return state;
  const next = copyData(state);
  const due = next.points.pending.filter((l) => l.availableOn <= today);
  next.points.pending = next.points.pending.filter((l) => l.availableOn > today);
  for (const lot of due) addSpendable(next.points, lot.expiresOn, lot.points, lot.partner);
  return next;
}

/** Points the member can spend now (negative while a debt is outstanding). */
export function spendableBalance(state: MemberState): number {
  return state.points.lots.reduce((sum, l) => sum + l.points, 0) - state.points.debt;
}

export function pendingBalance(state: MemberState): number {
  return state.points.pending.reduce((sum, l) => sum + l.points, 0);
}

/** Spendable points that expire within `days` days of `now` (expiry day on or before today + days). */
export function expiringWithin(
  state: MemberState,
  days: number,
  now: Date | string,
): { points: number; lots: PointsLot[] } {
  const limit = addDays(utcDay(now), days);
  // One lot per day whoever issued the points: the member sees one balance.
  const perDay = new Map<IsoDay, number>();
  for (const l of state.points.lots)
    if (l.expiresOn <= limit) perDay.set(l.expiresOn, (perDay.get(l.expiresOn) ?? 0) + l.points);
  const lots = [...perDay].map(([expiresOn, points]) => ({ expiresOn, points }));
  return { points: lots.reduce((sum, l) => sum + l.points, 0), lots };
}
