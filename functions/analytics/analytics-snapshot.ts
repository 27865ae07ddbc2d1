import * as z from "zod";
import type { BgNbdParams, ModelFit } from "../../domain/analytics/bg-nbd";
import type { RepeatBin } from "../../domain/analytics/bg-nbd-fit-check";
import { type ValueConcentration, valueConcentration } from "../../domain/analytics/concentration";
import type { GammaGammaParams } from "../../domain/analytics/gamma-gamma";
import type { CustomerScores } from "../../domain/analytics/scoring";
import type { ScoringSettings } from "./score-change";

// What one analytics run leaves for marketers (the ANALYTICS/LATEST item, served by GET /segments): the
// fitted models, the RFM grid and segments, and how concentrated value is. The schema is the API's response
// schema too, so the stored item and the documented response cannot drift apart.

const share = z.number().min(0).max(1);

const concentrationSchema = z.object({
  members: z.int(),
  totalMinor: z.int().describe("Sum over members, minor units"),
  top10Share: share.describe("Share of the total held by the top 10% of members"),
  top20Share: share,
  gini: z.number().describe("0: everyone equal; towards 1: one member holds everything"),
  lorenz: z
    .array(z.object({ population: share, value: share }))
    .describe("Share of the total held by the least valuable 0%, 10%, … 100% of members"),
});

export const analyticsSnapshotSchema = z.object({
  asOf: z.string().describe("When the run started (UTC)"),
  asOfDay: z.string().describe("Calibration end: purchases up to this UTC day count"),
  modelVersion: z.string().describe("Scoring method and fit day, as stored on each member's scores"),
  members: z.object({
    total: z.int().describe("Members read"),
    customers: z.int().describe("Members with at least one purchase: these are scored"),
    withoutPurchases: z.int(),
  }),
  fit: z.object({
    customers: z.int().describe("Customers the models were fitted on"),
    sampled: z.boolean().describe("True when the fit used a deterministic hash sample of the customers"),
    durationMs: z.number(),
    bgNbd: z.object({
      r: z.number(),
      alpha: z.number(),
      a: z.number(),
      b: z.number(),
      logLikelihood: z.number(),
    }),
    gammaGamma: z.object({
      p: z.number(),
      q: z.number(),
      gamma: z.number(),
      logLikelihood: z.number(),
      repeatBuyers: z.int(),
    }),
    repeatCheck: z
      .array(
        z.object({
          repeats: z.string().describe('Repeat purchases: "0", "1", … and the last bin "7+"'),
          actual: z.int().describe("Customers of the fit with that many repeat purchases"),
          expected: z.number().describe("Customers the fitted BG/NBD expects there, Σ P(X(T) = k)"),
        }),
      )
      .optional()
      .describe(
        "The BG/NBD fit check: actual against expected customers per repeat count (absent before it existed)",
      ),
  }),
  scoring: z.object({
    horizonWeeks: z.int(),
    annualDiscountRate: z.number(),
    margin: z.number().describe("Share of revenue counted as value (1: CLV in revenue)"),
  }),
  rfm: z.object({
    segments: z.array(
      z.object({
        name: z.string(),
        members: z.int(),
        share,
        clvMinor: z.int().describe("Sum of the members' CLV, minor units"),
        meanProbabilityAlive: share,
      }),
    ),
    grid: z
      .array(
        z.object({
          recency: z.int().min(1).max(5),
          frequency: z.int().min(1).max(5),
          members: z.int(),
          clvMinor: z.int(),
          segment: z.string().optional().describe("The most common segment in the cell; absent when empty"),
        }),
      )
      .describe("Recency × frequency quintile scores (5 best), 25 cells"),
  }),
  concentration: z.object({
    clv: concentrationSchema.describe("Predicted value (CLV over the horizon)"),
    spend: concentrationSchema.describe("Lifetime spend to date"),
  }),
  writes: z.object({
    written: z.int().describe("Members whose stored scores were replaced"),
    unchanged: z.int().describe("Members whose stored scores were within the change thresholds"),
    skipped: z.int().describe("Members who bought during the run: scored again next run"),
  }),
});

export type AnalyticsSnapshot = z.infer<typeof analyticsSnapshotSchema>;

function concentrationOf(values: ArrayLike<number>): z.infer<typeof concentrationSchema> {
  const c: ValueConcentration = valueConcentration(values);
  return {
    members: c.members,
    totalMinor: Math.round(c.total),
    top10Share: c.top10Share,
    top20Share: c.top20Share,
    gini: c.gini,
    lorenz: c.lorenz,
  };
}

export interface SnapshotInput {
  asOf: Date;
  asOfDay: string;
  modelVersion: string;
  members: AnalyticsSnapshot["members"];
  fit: {
    customers: number;
    sampled: boolean;
    durationMs: number;
    bgNbd: ModelFit<BgNbdParams>;
    gammaGamma: ModelFit<GammaGammaParams> & { repeatBuyers: number };
    repeatCheck: RepeatBin[];
  };
  scoring: ScoringSettings;
  scores: CustomerScores;
  /** Lifetime spend per scored customer, aligned with `scores`. */
  spend: ArrayLike<number>;
  writes: AnalyticsSnapshot["writes"];
}

export function buildSnapshot(input: SnapshotInput): AnalyticsSnapshot {
  const { scores, fit } = input;
  const { rfm } = scores;
  const n = scores.clv.length;
  const names = rfm.segmentNames;
  const bySegment = names.map(() => ({ members: 0, clv: 0, alive: 0 }));
  // Cell (r, f) at (r − 1) · 5 + f − 1; each cell counts members per segment to name its dominant one.
  const cells = Array.from({ length: 25 }, () => ({
    members: 0,
    clv: 0,
    segments: new Array<number>(names.length).fill(0),
  }));
  for (let i = 0; i < n; i++) {
    const s = rfm.segment[i] as number;
    const clv = scores.clv[i] as number;
    const segment = bySegment[s];
    if (segment) {
      segment.members++;
      segment.clv += clv;
      segment.alive += scores.pAlive[i] as number;
    }
    const cell = cells[((rfm.recency[i] as number) - 1) * 5 + (rfm.frequency[i] as number) - 1];
    if (cell) {
      cell.members++;
      cell.clv += clv;
      cell.segments[s] = (cell.segments[s] ?? 0) + 1;
    }
  }
  return {
    asOf: input.asOf.toISOString(),
    asOfDay: input.asOfDay,
    modelVersion: input.modelVersion,
    members: input.members,
    fit: {
      customers: fit.customers,
      sampled: fit.sampled,
      durationMs: Math.round(fit.durationMs),
      bgNbd: { ...fit.bgNbd.params, logLikelihood: fit.bgNbd.logLikelihood },
      gammaGamma: {
        ...fit.gammaGamma.params,
        logLikelihood: fit.gammaGamma.logLikelihood,
        repeatBuyers: fit.gammaGamma.repeatBuyers,
      },
      repeatCheck: fit.repeatCheck,
    },
    scoring: { ...input.scoring },
    rfm: {
      segments: names.map((name, s) => {
        const t = bySegment[s] ?? { members: 0, clv: 0, alive: 0 };
        return {
          name,
          members: t.members,
          share: n > 0 ? t.members / n : 0,
          clvMinor: Math.round(t.clv),
          meanProbabilityAlive: t.members > 0 ? t.alive / t.members : 0,
        };
      }),
      grid: cells.map((cell, index) => {
        const top = cell.segments.indexOf(Math.max(...cell.segments));
        return {
          recency: Math.floor(index / 5) + 1,
          frequency: (index % 5) + 1,
          members: cell.members,
          clvMinor: Math.round(cell.clv),
          ...(cell.members > 0 && { segment: names[top] }),
        };
      }),
    },
    concentration: { clv: concentrationOf(scores.clv), spend: concentrationOf(input.spend) },
    writes: input.writes,
  };
}
