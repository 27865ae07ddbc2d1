import type { SatisfactionMember, SurveyScore } from "../../domain/analytics/kpi-satisfaction";
import type { ValueMember } from "../../domain/analytics/kpi-value";
import type { ActivityMonths } from "../../domain/member/activity-months";
import type { LifecycleStage } from "../../domain/retention/retention-state";
import type { MonthStartStages } from "../../domain/retention/stage-months";
import { type Loose, num, record, str } from "./loose-values";

// What the KPIs need from one member's STATE item (domain/analytics/kpis.ts, kpi-value.ts), read tolerantly
// like member-inputs.ts: a missing or malformed field reads as "nothing", never as a failed run.

/** The member's own figures the value KPIs take (the scores and holdout come from the run). */
type StateFigures = Omit<ValueMember, "segment" | "clvMinor" | "holdout">;
/** The member's survey answers, service case and last purchase (the segment comes from the run). */
type SatisfactionFacts = Omit<SatisfactionMember, "tierId" | "segment">;

export interface KpiFacts extends StateFigures, SatisfactionFacts {
  enrolledOn: string;
  /** Enrolment channel; "unknown" when not recorded. */
  channel: string;
  /** Linked to a referrer at enrolment (state.referral.referredBy). */
  referred: boolean;
  firstPurchaseOn?: string;
  activity?: ActivityMonths;
  stage: LifecycleStage;
  stageSince: string;
  monthStart?: MonthStartStages;
}

const STAGES = new Set<string>(["new", "active", "at-risk", "lapsed", "won-back", "churned"]);

const sumPoints = (lots: unknown): number =>
  Array.isArray(lots) ? lots.reduce<number>((sum, lot) => sum + num(record(lot)?.points), 0) : 0;

function activityOf(value: unknown): ActivityMonths | undefined {
  const a = record(value);
  const month = str(a?.month);
  if (!month || typeof a?.active !== "number") return undefined;
  return { month, active: a.active, repeat: num(a.repeat) };
}

const stageOf = (value: unknown): LifecycleStage | undefined => {
  const stage = str(value);
  return stage && STAGES.has(stage) ? (stage as LifecycleStage) : undefined;
};

function monthStartOf(value: unknown): MonthStartStages | undefined {
  const m = record(value);
  const month = str(m?.month);
  if (!month) return undefined;
  const stage = stageOf(m?.stage);
  const before = stageOf(m?.before);
  return { month, ...(stage && { stage }), ...(before && { before }) };
}

function scoreOf(value: unknown): SurveyScore | undefined {
  const v = record(value);
  const at = str(v?.at);
  const valid = at !== undefined && !Number.isNaN(Date.parse(at));
  if (!valid || typeof v?.score !== "number") return undefined;
  const channel = str(v?.channel);
  const storeId = str(v?.storeId);
  return { score: v.score, at, ...(channel && { channel }), ...(storeId && { storeId }) };
}

function satisfactionFacts(s: Loose): SatisfactionFacts {
  const satisfaction = record(s?.satisfaction);
  const nps = scoreOf(satisfaction?.nps);
  const csat = scoreOf(satisfaction?.csat);
  const serviceCase = record(satisfaction?.serviceCase);
  const openedAt = str(serviceCase?.openedAt);
  const closedAt = str(serviceCase?.closedAt);
  const lastPurchaseAt = str(record(s?.lifetime)?.lastPurchaseAt);
  return {
    ...(nps && { nps }),
    ...(csat && { csat }),
    ...(openedAt && { serviceCase: { openedAt, ...(closedAt && { closedAt }) } }),
    ...(lastPurchaseAt && { lastPurchaseAt }),
  };
}

/** The KPI facts from an unmarshalled `state` map. */
export function kpiFacts(state: unknown): KpiFacts {
  const s = record(state);
  const lifetime = record(s?.lifetime);
  const retention = record(s?.retention);
  const points = record(s?.points);
  const enrolledOn = (str(s?.enrolledAt) ?? "").slice(0, 10);
  const monthStart = monthStartOf(retention?.monthStart);
  const firstPurchaseOn = str(lifetime?.firstPurchaseAt)?.slice(0, 10);
  const activity = activityOf(s?.activity);
  return {
    enrolledOn,
    channel: str(s?.enrolledVia) ?? "unknown",
    referred: record(record(s?.referral)?.referredBy) !== undefined,
    ...(firstPurchaseOn && { firstPurchaseOn }),
    ...(activity && { activity }),
    stage: stageOf(retention?.stage) ?? "new",
    stageSince: str(retention?.stageSince) ?? enrolledOn,
    ...(monthStart && { monthStart }),
    tierId: str(record(s?.tier)?.tierId) ?? "",
    purchases: num(lifetime?.purchases),
    spendMinor: num(lifetime?.spendMinor),
    pointsEarned: num(lifetime?.pointsEarned),
    pointsRedeemed: num(lifetime?.pointsRedeemed),
    pointsExpired: num(lifetime?.pointsExpired),
    outstandingPoints: sumPoints(points?.lots) + sumPoints(points?.pending) - num(points?.debt),
    ...satisfactionFacts(s),
  };
}
