import type { Program } from "../program/program-schema";
import type { PartnerMovement } from "./partner-shares";

/** A partner's monthly figures as stored (sums of PartnerMovement over the month's ledger entries). */
export type PartnerTotals = Omit<PartnerMovement, "partnerId" | "month">;

export interface PartnerStatement {
  partnerId: string;
  name: string;
  /** UTC month, YYYY-MM. */
  month: string;
  currency: string;
  points: {
    /** Points its purchases credited. */
    issued: number;
    /** Its points spent on rewards (any reward). */
    redeemed: number;
    expired: number;
    /** Its points taken back by refunds and marketers' debits. */
    reversed: number;
    /** issued − redeemed − expired − reversed: the month's change of its outstanding points (the liability). */
    net: number;
  };
  /** Points members spent on the rewards it funds (whoever issued them): what it is paid for. */
  redeemedWithPartner: number;
  prices: { issuePriceMicros: number; redeemPriceMicros: number };
  amounts: {
    /** (issued − reversed) × issue price: a refund's points are credited back at the price they were bought. */
    partnerOwesMinor: number;
    /** redeemedWithPartner × redeem price. */
    programmeOwesMinor: number;
    /** partnerOwesMinor − programmeOwesMinor: positive, the partner pays; negative, it is paid. */
    netSettlementMinor: number;
  };
}

const MICROS = 1_000_000n;

/**
 * points × price (millionths of a minor unit per point) in whole minor units, rounded half away from zero once
 * on the month's total (never per entry). BigInt: 10⁹ points at 10⁹ micros exceeds a double's exact range.
 */
export function pointsToMinor(points: number, priceMicros: number): number {
  const product = BigInt(Math.abs(points)) * BigInt(priceMicros);
  const rounded = Number((product + MICROS / 2n) / MICROS);
  return points < 0 ? -rounded : rounded;
}

/**
 * One partner's statement for a month: its point figures and both amounts at the partner's prices in `program`
 * (the version in effect at the month's end: prices are agreed per month, not per purchase).
 */
export function partnerStatement(
  program: Program,
  partnerId: string,
  month: string,
  totals: PartnerTotals,
): PartnerStatement | undefined {
  const partner = program.partners.find((p) => p.id === partnerId);
  if (!partner) return undefined;
  const { issued, redeemed, expired, reversed, redeemedWith } = totals;
  const partnerOwesMinor = pointsToMinor(issued - reversed, partner.issuePriceMicros);
  const programmeOwesMinor = pointsToMinor(redeemedWith, partner.redeemPriceMicros);
  return {
    partnerId,
    name: partner.name,
    month,
    currency: program.currency,
    points: { issued, redeemed, expired, reversed, net: issued - redeemed - expired - reversed },
    redeemedWithPartner: redeemedWith,
    prices: { issuePriceMicros: partner.issuePriceMicros, redeemPriceMicros: partner.redeemPriceMicros },
    amounts: {
      partnerOwesMinor,
      programmeOwesMinor,
      netSettlementMinor: partnerOwesMinor - programmeOwesMinor,
    },
  };
}
