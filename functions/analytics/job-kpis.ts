import { stageFlows } from "../../domain/analytics/kpi-stage-flows";
import type { CustomerScores } from "../../domain/analytics/scoring";
import { monthFromNumber, monthNumber } from "../../domain/member/activity-months";
import type { Program } from "../../domain/program/program-schema";
import { isInHoldout } from "../../domain/retention/holdout";
import type { StageHistory } from "../../domain/retention/stage-months";
import type { AnalyticsStore, ScannedMember } from "./analytics-store";
import { buildKpiSnapshot, type KpiMemberInput, type KpiSnapshot } from "./kpi-snapshot";

// The analytics job's KPI step: every scanned member, valued by this run's scores when the models were
// fitted (else by the scores stored on the member), into this month's KPI snapshot item; the first run of a
// month also recounts the month before's own NPS and CSAT row and its stage flows (closePreviousMonth).

export interface KpiSettings {
  /** What one point costs the programme, minor units (the liability's currency value). */
  pointCostMinor: number;
  /** The retention holdout draw, when the programme has one (economics compare it with everyone else). */
  holdout?: { percent: number; salt: string };
}

export const UNSCORED_SEGMENT = "unscored";

export async function storeKpis(options: {
  store: AnalyticsStore;
  now: Date;
  members: readonly ScannedMember[];
  /** This run's scores and whose they are, index for index; absent when the run skipped scoring. */
  scored?: { members: readonly ScannedMember[]; scores: CustomerScores };
  settings: KpiSettings;
}): Promise<void> {
  const { members, scored, settings } = options;
  const fresh = new Map<string, { clvMinor: number; segment: string }>();
  if (scored) {
    const { clv, rfm } = scored.scores;
    scored.members.forEach((member, i) => {
      const segment = rfm.segmentNames[rfm.segment[i] as number] ?? UNSCORED_SEGMENT;
      fresh.set(member.memberId, { clvMinor: clv[i] as number, segment });
    });
  }
  const { holdout } = settings;
  const inputs: KpiMemberInput[] = members.map((member) => {
    const value = fresh.get(member.memberId) ?? {
      clvMinor: member.stored?.clvMinor ?? 0,
      segment: member.stored?.segment ?? UNSCORED_SEGMENT,
    };
    return {
      memberId: member.memberId,
      facts: member.kpi,
      ...value,
      holdout: holdout !== undefined && isInHoldout(member.memberId, holdout.percent, holdout.salt),
    };
  });
  const snapshot = buildKpiSnapshot({
    now: options.now,
    members: inputs,
    pointCostMinor: settings.pointCostMinor,
    hasHoldout: holdout !== undefined,
  });
  await options.store.putKpis(snapshot);
  await closePreviousMonth({ ...options, current: snapshot, histories: inputs.map((i) => i.facts) });
}

/**
 * A month's last nightly run came at 01:00 on its last day, before that day's survey answers and stage
 * changes (the retention job moves stages from 09:00), so the first run after the month ended recounts, once,
 * what the state can still tell about it: its own NPS and CSAT row (later answers replace a member's earlier
 * ones) and its stage flows (the state keeps each member's stage at the start of this month and the last).
 */
async function closePreviousMonth(options: {
  store: AnalyticsStore;
  now: Date;
  current: KpiSnapshot;
  histories: readonly StageHistory[];
}): Promise<void> {
  const { store, current } = options;
  const at = options.now.toISOString();
  const month = monthFromNumber(monthNumber(current.month) - 1);
  const [previous] = await store.listKpis(month, month);
  if (!previous) return;
  const row = current.satisfaction?.find((r) => r.month === month);
  const closeSatisfaction = previous.satisfaction && previous.satisfactionClosedAt === undefined && row;
  const closeFlows = previous.lifecycle.flows?.closedAt === undefined;
  if (!closeSatisfaction && !closeFlows) return;
  await store.putKpis({
    ...previous,
    ...(closeSatisfaction && {
      satisfaction: previous.satisfaction?.map((r) => (r.month === month ? row : r)),
      satisfactionClosedAt: at,
    }),
    ...(closeFlows && {
      lifecycle: { ...previous.lifecycle, flows: { ...stageFlows(options.histories, month), closedAt: at } },
    }),
  });
}

/** The KPI settings of the programme in effect: its point cost and its retention holdout draw. */
export function kpiSettingsOf(program: Program): KpiSettings {
  const { offers, holdout } = program.retention;
  return { pointCostMinor: offers.pointCostMinor, holdout: { percent: holdout.percent, salt: holdout.salt } };
}

/** The job's `kpiSettings` dependency: the settings of the programme in effect at the run, if any. */
export function programKpiSettings(programs: {
  inEffectAt(at: Date): Promise<Program | undefined>;
}): (now: Date) => Promise<KpiSettings | undefined> {
  return async (now) => {
    const program = await programs.inEffectAt(now);
    return program && kpiSettingsOf(program);
  };
}
