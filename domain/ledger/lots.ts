import type { MemberState, PointsLot } from "../member/member-state";
import { addDays, type IsoDay, utcDay } from "../time";

type Points = MemberState["points"];

function sortLots<T extends { expiresOn: IsoDay; availableOn?: IsoDay }>(lots: T[]): T[] {
  return lots.sort(
    (a, b) =>
      (a.availableOn ?? "").localeCompare(b.availableOn ?? "") || a.expiresOn.localeCompare(b.expiresOn),
  );
}

/** Adds spendable points (merging by expiry day); any debt is repaid first. Mutates `points`. */
export function addSpendable(points: Points, expiresOn: IsoDay, amount: number): void {
  const repaid = Math.min(points.debt, amount);
  points.debt -= repaid;
  const rest = amount - repaid;
  if (rest <= 0) return;
  const lot = points.lots.find((l) => l.expiresOn === expiresOn);
  if (lot) lot.points += rest;
  else points.lots.push({ expiresOn, points: rest });
  sortLots(points.lots);
}

export function addPending(points: Points, availableOn: IsoDay, expiresOn: IsoDay, amount: number): void {
  if (amount <= 0) return;
  const lot = points.pending.find((l) => l.availableOn === availableOn && l.expiresOn === expiresOn);
  if (lot) lot.points += amount;
  else points.pending.push({ availableOn, expiresOn, points: amount });
  sortLots(points.pending);
}

/** Takes up to `amount` spendable points, soonest-expiring first. Mutates `points`; returns what was taken. */
export function takeSpendable(points: Points, amount: number): { taken: PointsLot[]; total: number } {
  const taken: PointsLot[] = [];
  let left = amount;
  for (const lot of points.lots) {
    if (left <= 0) break;
    const take = Math.min(lot.points, left);
    lot.points -= take;
    left -= take;
    taken.push({ expiresOn: lot.expiresOn, points: take });
  }
  points.lots = points.lots.filter((l) => l.points > 0);
  return { taken, total: amount - left };
}

/** Takes up to `amount` from one pending lot. Mutates `points`; returns how many were taken. */
export function takePending(points: Points, availableOn: IsoDay, expiresOn: IsoDay, amount: number): number {
  const lot = points.pending.find((l) => l.availableOn === availableOn && l.expiresOn === expiresOn);
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
  const next = structuredClone(state);
  const due = next.points.pending.filter((l) => l.availableOn <= today);
  next.points.pending = next.points.pending.filter((l) => l.availableOn > today);
  for (const lot of due) addSpendable(next.points, lot.expiresOn, lot.points);
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
  const lots = state.points.lots.filter((l) => l.expiresOn <= limit).map((l) => ({ ...l }));
  return { points: lots.reduce((sum, l) => sum + l.points, 0), lots };
}
