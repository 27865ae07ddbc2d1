import { periodDiscountRate } from "../../domain/analytics/clv";
import { parseDayNumber } from "../../domain/analytics/day-number";
import { defaultRfmConfig, type RfmConfigInput } from "../../domain/analytics/rfm";
import { scoreCustomers } from "../../domain/analytics/scoring";
import type { MemberScores } from "../../domain/member/member-state";
import { utcDay } from "../../domain/time";
import type { Logger } from "../shared/logger";
import { buildSnapshot } from "./analytics-snapshot";
import type { AnalyticsStore, ScannedMember } from "./analytics-store";
import { AnalyticsFitError, type CustomerColumns, fitOnSample } from "./fit-sample";
import { type KpiSettings, storeKpis } from "./job-kpis";
import { summaryRow } from "./member-inputs";
import {
  type ChangeThresholds,
  changeReason,
  DEFAULT_CHANGE_THRESHOLDS,
  memberScoresAt,
  type ScoringSettings,
  scoringMethod,
} from "./score-change";
import { type WriteCounts, writeChangedScores } from "./write-back";

// The nightly analytics job: scan every member's STATE item → per-member (x, t_x, T, m_x) → fit BG/NBD and
// Gamma-Gamma (all customers up to `fitSampleCap`, else a hash sample) → score everyone (P(alive), expected
// order value, CLV, RFM) → write back only the scores that changed → store the run's snapshot for GET /segments.
// Every run, scored or skipped, also stores this month's KPI snapshot (job-kpis.ts) for GET /kpis.
// The retention job reads the stored scores for its lapse model and offer sizing. Design and figures:
// docs/analytics-at-scale.md.

export interface AnalyticsJobOptions extends ScoringSettings {
  /** Parallel Scan segments, each read by its own sequence of requests. */
  scanSegments: number;
  fitSampleCap: number;
  /** Below this many customers the models are not fitted and nothing is written. */
  minCustomers: number;
  writeConcurrency: number;
  thresholds: ChangeThresholds;
  rfm: RfmConfigInput;
  /** Log progress every this many members read / scores written. */
  progressEvery: number;
  kpi: KpiSettings;
}

export const DEFAULT_ANALYTICS_OPTIONS: AnalyticsJobOptions = {
  horizonWeeks: 52,
  annualDiscountRate: 0.1,
  margin: 1,
  scanSegments: 8,
  fitSampleCap: 200_000,
  minCustomers: 100,
  writeConcurrency: 16,
  thresholds: DEFAULT_CHANGE_THRESHOLDS,
  rfm: defaultRfmConfig,
  progressEvery: 100_000,
  kpi: { pointCostMinor: 1 },
};

export interface AnalyticsJobDeps {
  store: AnalyticsStore;
  logger: Logger;
  /** The KPI settings in effect at the run (the programme's); `options.kpi` when absent or undefined. */
  kpiSettings?: (now: Date) => Promise<KpiSettings | undefined>;
  options?: Partial<AnalyticsJobOptions>;
}

export interface AnalyticsJobReport extends WriteCounts {
  status: "scored" | "skipped";
  /** Why nothing was scored (status "skipped"). */
  reason?: string;
  asOfDay: string;
  /** Items the Scan read (and DynamoDB billed), members and everything else. */
  itemsRead: number;
  members: number;
  customers: number;
  fitCustomers: number;
  /** Customers whose stored scores were within the change thresholds. */
  unchanged: number;
  timingsMs: { scan: number; fit: number; score: number; write: number; kpis: number; total: number };
}

async function scanAll(
  deps: AnalyticsJobDeps,
  options: AnalyticsJobOptions,
): Promise<{ members: ScannedMember[]; itemsRead: number }> {
  const members: ScannedMember[] = [];
  let itemsRead = 0;
  let logged = 0;
  const segments = Array.from({ length: options.scanSegments }, (_, segment) => segment);
  await Promise.all(
    segments.map(async (segment) => {
      let cursor: Awaited<ReturnType<AnalyticsStore["scanMembers"]>>["cursor"];
      do {
        const page = await deps.store.scanMembers(segment, options.scanSegments, cursor);
        for (const member of page.members) members.push(member);
        itemsRead += page.scannedCount;
        cursor = page.cursor;
        if (members.length - logged >= options.progressEvery) {
          logged = members.length;
          deps.logger.info("analytics scan progress", { members: members.length, itemsRead });
        }
      } while (cursor);
    }),
  );
  // Segments interleave at random; a fixed order makes a run reproducible from the same data.
  members.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  return { members, itemsRead };
}

/** The customers' model columns (members with a purchase on or before `asOfDay`) and who they are. */
function customerColumns(members: readonly ScannedMember[], asOfDay: number) {
  const n = members.length;
  const columns: CustomerColumns = {
    memberIds: [],
    x: new Int32Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    meanRepeatValue: new Float64Array(n),
    totalValue: new Float64Array(n),
  };
  const scanned: ScannedMember[] = [];
  for (const member of members) {
    const row = summaryRow(member.inputs, asOfDay);
    if (!row) continue;
    const i = scanned.length;
    scanned.push(member);
    columns.memberIds.push(member.memberId);
    columns.x[i] = row.x;
    columns.tx[i] = row.tx;
    columns.T[i] = row.T;
    columns.meanRepeatValue[i] = row.meanRepeatValue;
    columns.totalValue[i] = row.totalValue;
  }
  const count = scanned.length;
  return {
    scanned,
    columns: {
      memberIds: columns.memberIds,
      x: columns.x.slice(0, count),
      tx: columns.tx.slice(0, count),
      T: columns.T.slice(0, count),
      meanRepeatValue: columns.meanRepeatValue.slice(0, count),
      totalValue: columns.totalValue.slice(0, count),
    },
  };
}

export async function runAnalyticsJob(deps: AnalyticsJobDeps, now: Date): Promise<AnalyticsJobReport> {
  const options = { ...DEFAULT_ANALYTICS_OPTIONS, ...deps.options };
  const { logger } = deps;
  const started = performance.now();
  const since = (from: number) => Math.round(performance.now() - from);
  const asOfDay = utcDay(now);
  const timingsMs = { scan: 0, fit: 0, score: 0, write: 0, kpis: 0, total: 0 };

  let phase = performance.now();
  const { members, itemsRead } = await scanAll(deps, options);
  const { scanned, columns } = customerColumns(members, parseDayNumber(asOfDay) as number);
  const saveKpis = async (scored?: Parameters<typeof storeKpis>[0]["scored"]) => {
    const kpiPhase = performance.now();
    const settings = (await deps.kpiSettings?.(now)) ?? options.kpi;
    await storeKpis({ store: deps.store, now, members, ...(scored && { scored }), settings });
    timingsMs.kpis = since(kpiPhase);
  };
  timingsMs.scan = since(phase);
  logger.info("analytics scan done", { members: members.length, customers: scanned.length, itemsRead });
  const base = {
    asOfDay,
    itemsRead,
    members: members.length,
    customers: scanned.length,
    fitCustomers: 0,
    written: 0,
    unchanged: 0,
    skipped: 0,
    conflicts: 0,
    writesByReason: {},
  };
  /** Nothing scored (yesterday's scores stay), but this month's KPIs are stored all the same. */
  const skip = async (reason: string): Promise<AnalyticsJobReport> => {
    logger.warn("analytics skipped", { reason });
    await saveKpis();
    return { ...base, status: "skipped", reason, timingsMs: { ...timingsMs, total: since(started) } };
  };
  /** Ends the phase begun at `phase`: its duration goes into the report and its log line. */
  const phaseDone = (name: "fit" | "score", message: string, fields: Record<string, unknown>) => {
    timingsMs[name] = since(phase);
    logger.info(message, { ...fields, ms: timingsMs[name] });
  };
  if (scanned.length < options.minCustomers) {
    return skip(
      `${scanned.length} customers with a purchase; the models need at least ${options.minCustomers}`,
    );
  }

  phase = performance.now();
  let fitted: ReturnType<typeof fitOnSample>;
  try {
    fitted = fitOnSample(columns, options.fitSampleCap);
  } catch (error) {
    // Thin or degenerate data (a young program, few repeat buyers) cannot identify the models. That is
    // expected, not an outage: keep yesterday's scores and say why, instead of failing the run.
    if (!(error instanceof AnalyticsFitError)) throw error;
    return skip(error.message);
  }
  phaseDone("fit", "analytics fit done", { customers: fitted.customers, sampled: fitted.sampled });

  phase = performance.now();
  const scores = scoreCustomers(
    columns,
    { bgNbd: fitted.bgNbd.params, gammaGamma: fitted.gammaGamma.params },
    {
      horizon: options.horizonWeeks,
      discountRate: periodDiscountRate(options.annualDiscountRate, "week"),
      margin: options.margin,
      rfm: options.rfm,
    },
  );
  const stamp = { scoredOn: asOfDay, modelVersion: `${scoringMethod(options)}@${asOfDay}` };
  const changes: { member: ScannedMember; scores: MemberScores; reason: string }[] = [];
  for (let i = 0; i < scanned.length; i++) {
    const member = scanned[i] as ScannedMember;
    const next = memberScoresAt(scores, i, stamp);
    const reason = changeReason(member.stored, next, options.thresholds);
    if (reason) changes.push({ member, scores: next, reason });
  }
  phaseDone("score", "analytics scoring done", { customers: scanned.length, changed: changes.length });

  phase = performance.now();
  const counts = await writeChangedScores(deps.store, changes, {
    concurrency: options.writeConcurrency,
    onProgress: (written) => {
      if (written % options.progressEvery === 0) logger.info("analytics write progress", { written });
    },
  });
  timingsMs.write = since(phase);
  const unchanged = scanned.length - changes.length;

  await deps.store.putLatest(
    buildSnapshot({
      asOf: now,
      asOfDay,
      modelVersion: stamp.modelVersion,
      members: {
        total: members.length,
        customers: scanned.length,
        withoutPurchases: members.length - scanned.length,
      },
      fit: { ...fitted, durationMs: timingsMs.fit },
      scoring: {
        horizonWeeks: options.horizonWeeks,
        annualDiscountRate: options.annualDiscountRate,
        margin: options.margin,
      },
      scores,
      spend: columns.totalValue,
      writes: { written: counts.written, unchanged, skipped: counts.skipped },
    }),
  );
  await saveKpis({ members: scanned, scores });
  timingsMs.total = since(started);
  const report: AnalyticsJobReport = {
    ...base,
    ...counts,
    status: "scored",
    fitCustomers: fitted.customers,
    unchanged,
    timingsMs,
  };
  logger.info("analytics job done", { ...report });
  return report;
}
