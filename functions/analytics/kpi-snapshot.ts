import * as z from "zod";
import {
  type SatisfactionMember,
  satisfactionByMonth,
  serviceRecovery,
} from "../../domain/analytics/kpi-satisfaction";
import { FLOW_ORIGINS, stageFlows } from "../../domain/analytics/kpi-stage-flows";
import { customerEquity, programmeEconomics, type ValueMember } from "../../domain/analytics/kpi-value";
import {
  acquisition,
  activeMembers,
  cohortRetention,
  type KpiMember,
  kpiMonths,
  LIFECYCLE_STAGES,
  lifecycleCounts,
} from "../../domain/analytics/kpis";
import { monthOf, utcDay } from "../../domain/time";
import type { KpiFacts } from "./kpi-inputs";

// The KPI snapshot the nightly job stores per month (PK=ANALYTICS, SK=KPI#<YYYY-MM>; each night's run
// overwrites its month's item, so a closed month keeps its last night's figures). Series over the last 24
// months (acquisition, cohorts, active members) are recomputed every night from the activity bitmaps;
// stage counts, equity and economics are point-in-time, so their monthly series is the row of snapshots.
// The schema is GET /kpis's response schema too.

const share = z.number().min(0).max(1);
const counts = z.record(z.string(), z.number());
const stages = z.record(z.string(), z.int());
const behaviour = z.object({
  members: z.int(),
  averageOrderMinor: z.number(),
  purchaseFrequency: z.number(),
});

const surveyFigures = z.object({
  nps: z.object({
    responses: z.int(),
    promoters: z.int(),
    passives: z.int(),
    detractors: z.int(),
    score: z.number().min(-100).max(100).nullable().describe("−100 to 100; null without answers"),
  }),
  csat: z.object({
    responses: z.int(),
    satisfied: z.int(),
    score: share.nullable().describe("Share of answers of 4–5; null without answers"),
  }),
});
const stageFlowsSchema = z
  .object({
    month: z.string(),
    flows: z.array(z.object({ from: z.enum(FLOW_ORIGINS), to: z.enum(LIFECYCLE_STAGES), members: z.int() })),
    unknown: z.int().describe("Members whose stored state cannot tell their stage at the month's start"),
    closedAt: z
      .string()
      .optional()
      .describe("When the first run after the month ended recounted its flows (its last day included)"),
  })
  .describe("Members from each stage at the month's start (or enrolled in it) to each stage at its end");
const complainers = z.object({ complainers: z.int(), purchasedAfter: z.int(), retentionRate: share });

export const kpiSnapshotSchema = z.object({
  month: z.string().describe("The month of the run, YYYY-MM"),
  asOf: z.string().describe("When the run that wrote this snapshot started (UTC)"),
  members: z.int(),
  acquisition: z.array(
    z.object({
      month: z.string(),
      newMembers: z.int(),
      byChannel: counts,
      // Snapshots written before referrals have none.
      referrals: z.int().default(0).describe("New members who enrolled with a referral code"),
      purchasedWithin30Days: share,
    }),
  ),
  cohorts: z.array(
    z.object({
      cohort: z.string(),
      size: z.int(),
      retention: z.array(share).describe("[k]: share of the cohort purchasing in month cohort + k"),
      defection: z.array(share),
    }),
  ),
  active: z.array(
    z.object({ month: z.string(), active: z.int(), retentionRate: share, defectionRate: share }),
  ),
  // Optional: snapshots stored before the stage flows lack them.
  lifecycle: z.object({ month: z.string(), stages, entered: stages, flows: stageFlowsSchema.optional() }),
  equity: z.object({
    totalMinor: z.number(),
    byTier: counts,
    bySegment: counts,
    top20Share: share,
  }),
  economics: z.object({
    pointsIssued: z.number(),
    pointsRedeemed: z.number(),
    pointsExpired: z.number(),
    outstandingPoints: z.number(),
    liabilityMinor: z.number(),
    breakageRate: z.number(),
    redemptionRate: z.number(),
    byTier: z.record(z.string(), behaviour),
    holdout: behaviour.optional(),
  }),
  // Optional: snapshots stored before the satisfaction KPIs lack them.
  satisfaction: z
    .array(
      surveyFigures.extend({
        month: z.string(),
        byTier: z.record(z.string(), surveyFigures),
        bySegment: z.record(z.string(), surveyFigures),
        // Optional: rows stored before the split by channel and store lack them.
        byChannel: z.record(z.string(), surveyFigures).optional(),
        byStore: z.record(z.string(), surveyFigures).optional(),
      }),
    )
    .optional()
    .describe("NPS and CSAT per month from each member's latest answers (kpi-satisfaction.ts)"),
  serviceRecovery: z.object({ recovered: complainers, unrecovered: complainers }).optional(),
  satisfactionClosedAt: z
    .string()
    .optional()
    .describe("When the first run after the month ended recounted the month's own NPS and CSAT row"),
});

export type KpiSnapshot = z.output<typeof kpiSnapshotSchema>;

/** Each KPI's formula in one line (GET /kpis answers them; the README lists the same). */
export const KPI_DEFINITIONS: Readonly<Record<string, string>> = {
  acquisition: "newMembers(m) = members enrolled in month m, by enrolment channel",
  referrals: "referrals(m) = newMembers(m) who enrolled with another member's referral code",
  purchasedWithin30Days: "share of newMembers(m) whose first purchase is ≤ 30 days after enrolling",
  cohortRetention:
    "retention(c, k) = members enrolled in month c who purchased in month c + k ÷ members enrolled in c",
  cohortDefection: "defection(c, k) = 1 − retention(c, k)",
  activeMembers: "active(m) = members with a purchase (not fully refunded) in month m",
  retentionRate: "members active in m and m − 1 ÷ active(m − 1); defectionRate = 1 − retentionRate",
  lifecycleStages: "members per lifecycle stage at the run; entered = members whose stage began this month",
  stageFlows:
    "flows(m, a, b) = members in stage a at the start of month m (or enrolled in m: 'enrolled') and in stage b at its end (at the run while m lasts; the first run after m ended closes it, its last day included)",
  customerEquity: "Σ over members of discounted CLV (52 weeks, model discount rate; 0 without purchases)",
  equityChange: "customerEquity(m) − customerEquity(m − 1)",
  top20Share: "share of customer equity held by the 20% of members with the highest CLV",
  pointsIssued: "Σ lifetime points earned (monthly flow = difference between two monthly snapshots)",
  liability: "outstanding points (spendable + pending − debt) × the programme's point cost",
  breakageRate: "points expired ÷ points issued",
  redemptionRate: "points redeemed ÷ points issued",
  averageOrderValue: "spend ÷ purchases, per tier (holdout group apart)",
  purchaseFrequency: "purchases ÷ members, per tier (holdout group apart)",
  nps: "NPS(m) = 100 × (promoters (9–10) − detractors (0–6)) ÷ answers, over each member's latest NPS answer given in month m (a member who answers again counts in the later month only; a closed month keeps the figures of the first nightly run after it ended); none without answers",
  csat: "CSAT(m) = answers of 4–5 ÷ answers, over each member's latest CSAT answer given in month m (counted like NPS); none without answers",
  surveyResponses: "responses(m) = members whose latest NPS (CSAT) answer was given in month m",
  satisfactionByGroup:
    "NPS(m) and CSAT(m) over the members of each tier, each RFM segment, and the answers given at each channel and store (Interaction Recorded channel, storeId; '(unattributed)' without one; the 50 stores with most answers, the rest as '(other)'), counted the same way; groups without answers in m are left out",
  complainerRetention:
    "members whose latest service case was closed by a resolution (recovered) or is still open (unrecovered), and the share of each with a purchase after the case opened, at the run",
};

export interface KpiMemberInput {
  memberId: string;
  facts: KpiFacts;
  /** Discounted CLV (minor units) and RFM segment from this run's scores or the stored ones. */
  clvMinor: number;
  segment: string;
  holdout: boolean;
}

export function buildKpiSnapshot(options: {
  now: Date;
  members: readonly KpiMemberInput[];
  pointCostMinor: number;
  hasHoldout: boolean;
}): KpiSnapshot {
  const { now, members } = options;
  const months = kpiMonths(now);
  const kpiMembers: KpiMember[] = members.map(({ facts }) => ({
    enrolledOn: facts.enrolledOn,
    channel: facts.channel,
    ...(facts.referred && { referred: true }),
    ...(facts.firstPurchaseOn && { firstPurchaseOn: facts.firstPurchaseOn }),
    ...(facts.activity && { activity: facts.activity }),
    stage: facts.stage,
    stageSince: facts.stageSince,
    ...(facts.monthStart && { monthStart: facts.monthStart }),
  }));
  const valueMembers: ValueMember[] = members.map(({ facts, clvMinor, segment, holdout }) => ({
    tierId: facts.tierId,
    segment,
    clvMinor,
    purchases: facts.purchases,
    spendMinor: facts.spendMinor,
    pointsEarned: facts.pointsEarned,
    pointsRedeemed: facts.pointsRedeemed,
    pointsExpired: facts.pointsExpired,
    outstandingPoints: facts.outstandingPoints,
    holdout,
  }));
  const satisfactionMembers: SatisfactionMember[] = members.map(({ facts, segment }) => ({
    tierId: facts.tierId,
    segment,
    ...(facts.nps && { nps: facts.nps }),
    ...(facts.csat && { csat: facts.csat }),
    ...(facts.serviceCase && { serviceCase: facts.serviceCase }),
    ...(facts.lastPurchaseAt && { lastPurchaseAt: facts.lastPurchaseAt }),
  }));
  const cohortOptions = { months, cohortBy: "enrolment" as const };
  const month = monthOf(utcDay(now));
  return {
    month,
    asOf: now.toISOString(),
    members: members.length,
    acquisition: acquisition(kpiMembers, cohortOptions),
    cohorts: cohortRetention(kpiMembers, cohortOptions),
    active: activeMembers(kpiMembers, months),
    lifecycle: { ...lifecycleCounts(kpiMembers, now), flows: stageFlows(kpiMembers, month) },
    equity: customerEquity(valueMembers),
    economics: programmeEconomics(valueMembers, options),
    satisfaction: satisfactionByMonth(satisfactionMembers, months),
    serviceRecovery: serviceRecovery(satisfactionMembers),
  };
}
