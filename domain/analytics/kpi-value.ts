// Value KPIs at one moment: customer equity (Σ discounted CLV, by tier and RFM segment, with the 80/20 share)
// and programme economics (points issued/redeemed/expired, liability, breakage, order value and frequency
// by tier against the holdout group). Counters are lifetime totals: the monthly figure of a flow is the
// difference between two monthly snapshots. Pure; one-line formulas: README "KPIs".
import { valueConcentration } from "./concentration";

export interface ValueMember {
  tierId: string;
  /** RFM segment from the last scoring; "unscored" when the member has none. */
  segment: string;
  /** Discounted CLV in minor units; 0 when not scored (members without purchases). */
  clvMinor: number;
  purchases: number;
  spendMinor: number;
  pointsEarned: number;
  pointsRedeemed: number;
  pointsExpired: number;
  /** Spendable plus pending points, minus debt: what the programme still owes. */
  outstandingPoints: number;
  /** In the retention holdout (control) group. */
  holdout: boolean;
}

export interface CustomerEquity {
  totalMinor: number;
  byTier: Record<string, number>;
  bySegment: Record<string, number>;
  /** Share of the total held by the most valuable 20% of members (0 with no value). */
  top20Share: number;
}

const add = (into: Record<string, number>, key: string, value: number): void => {
  into[key] = (into[key] ?? 0) + value;
};

export function customerEquity(members: readonly ValueMember[]): CustomerEquity {
  const byTier: Record<string, number> = {};
  const bySegment: Record<string, number> = {};
  let totalMinor = 0;
  for (const member of members) {
    totalMinor += member.clvMinor;
    add(byTier, member.tierId, member.clvMinor);
    add(bySegment, member.segment, member.clvMinor);
  }
  const top20Share =
    members.length > 0 ? valueConcentration(members.map((m) => Math.max(0, m.clvMinor))).top20Share : 0;
  return { totalMinor, byTier, bySegment, top20Share };
}

export interface GroupBehaviour {
  members: number;
  /** Spend ÷ purchases (0 with no purchases). */
  averageOrderMinor: number;
  /** Purchases ÷ members. */
  purchaseFrequency: number;
}

export interface ProgrammeEconomics {
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  outstandingPoints: number;
  /** outstandingPoints × the programme's point cost. */
  liabilityMinor: number;
  /** pointsExpired ÷ pointsIssued. */
  breakageRate: number;
  /** pointsRedeemed ÷ pointsIssued. */
  redemptionRate: number;
  /** Members outside the holdout, by tier. */
  byTier: Record<string, GroupBehaviour>;
  /** The holdout group (absent when the programme has none). */
  holdout?: GroupBehaviour;
}

function behaviour(members: readonly ValueMember[]): GroupBehaviour {
  const purchases = members.reduce((sum, m) => sum + m.purchases, 0);
  const spend = members.reduce((sum, m) => sum + m.spendMinor, 0);
  return {
    members: members.length,
    averageOrderMinor: purchases > 0 ? spend / purchases : 0,
    purchaseFrequency: members.length > 0 ? purchases / members.length : 0,
  };
}

export function programmeEconomics(
  members: readonly ValueMember[],
  options: { pointCostMinor: number; hasHoldout: boolean },
): ProgrammeEconomics {
  let pointsIssued = 0;
  let pointsRedeemed = 0;
  let pointsExpired = 0;
  let outstandingPoints = 0;
  const tiers = new Map<string, ValueMember[]>();
  const holdout: ValueMember[] = [];
  for (const member of members) {
    pointsIssued += member.pointsEarned;
    pointsRedeemed += member.pointsRedeemed;
    pointsExpired += member.pointsExpired;
    outstandingPoints += member.outstandingPoints;
    if (member.holdout) holdout.push(member);
    else {
      const group = tiers.get(member.tierId);
      if (group) group.push(member);
      else tiers.set(member.tierId, [member]);
    }
  }
  const rate = (points: number): number => (pointsIssued > 0 ? points / pointsIssued : 0);
  return {
    pointsIssued,
    pointsRedeemed,
    pointsExpired,
    outstandingPoints,
    liabilityMinor: outstandingPoints * options.pointCostMinor,
    breakageRate: rate(pointsExpired),
    redemptionRate: rate(pointsRedeemed),
    byTier: Object.fromEntries([...tiers].map(([tier, group]) => [tier, behaviour(group)])),
    ...(options.hasHoldout && { holdout: behaviour(holdout) }),
  };
}
