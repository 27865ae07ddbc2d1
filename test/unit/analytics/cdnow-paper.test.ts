// Validation against the published CDNOW results, from the raw 1/10 sample transaction log:
// BG/NBD (Fader, Hardie & Lee 2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4;
// Gamma-Gamma (Fader & Hardie 2013, 946 repeat buyers): p = 6.25, q = 3.74, γ = 15.44, LL = −4055.9.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { expectedCumulativeRepeatPurchases } from "../../../domain/analytics/bg-nbd-expectations";
import type { CustomerSummary } from "../../../domain/analytics/customer-summary";
import { parseDayNumber } from "../../../domain/analytics/day-number";
import { type FittedModels, fitModels, summariseLog } from "../../../scripts/analytics/pipeline";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const cdnow = join(repoRoot, "..", "shared", "data", "cdnow");
const haveData = existsSync(cdnow);
if (!haveData) console.warn(`CDNOW paper validation skipped: ${cdnow} is absent`);

const withinHalfPercent = (actual: number, published: number): void => {
  expect(Math.abs(actual / published - 1)).toBeLessThan(0.005);
};

describe.skipIf(!haveData)("CDNOW 1/10 sample against the papers", () => {
  const sampleFile = join(cdnow, "lifetimes", "CDNOW_sample.txt");
  let summary!: CustomerSummary;
  let fitted!: FittedModels;
  beforeAll(() => {
    const calibrationEnd = parseDayNumber("1997-09-30") as number;
    summary = summariseLog(readFileSync(sampleFile, "utf8"), sampleFile, { calibrationEnd, unit: "week" });
    fitted = fitModels(summary);
  });

  it("rebuilds BTYD's calibration/holdout summary exactly from the raw log", () => {
    const rows = readFileSync(join(cdnow, "btyd", "derived", "cdnowSummary_cbs.csv"), "utf8")
      .trim()
      .split("\n");
    expect(rows[0]).toBe("cust,x,t.x,T.cal,x.star,m.x");
    expect(summary.customerIds).toHaveLength(2357);
    for (const row of rows.slice(1)) {
      const [cust, x, tx, T, xStar, mx] = row.split(",").map(Number) as number[];
      const i = (cust as number) - 1;
      expect(Number(summary.customerIds[i])).toBe(cust);
      expect(summary.x[i]).toBe(x);
      expect(summary.tx[i]).toBe(tx);
      expect(summary.T[i]).toBe(T);
      expect(summary.holdoutPurchases[i]).toBe(xStar);
      expect(summary.meanRepeatValue[i]).toBeCloseTo(mx as number, 9);
    }
  });

  it("fits BG/NBD to the published parameters and log-likelihood", () => {
    const { params, logLikelihood, converged } = fitted.bgNbd;
    expect(converged).toBe(true);
    withinHalfPercent(params.r, 0.243);
    withinHalfPercent(params.alpha, 4.414);
    withinHalfPercent(params.a, 0.793);
    withinHalfPercent(params.b, 2.426);
    expect(logLikelihood).toBeCloseTo(-9582.4, 1);
  });

  it("fits Gamma-Gamma on the 946 repeat buyers to the published parameters and log-likelihood", () => {
    const { params, logLikelihood, converged, repeatBuyers } = fitted.gammaGamma;
    expect(converged).toBe(true);
    expect(repeatBuyers).toBe(946);
    withinHalfPercent(params.p, 6.25);
    withinHalfPercent(params.q, 3.74);
    withinHalfPercent(params.gamma, 15.44);
    expect(logLikelihood).toBeCloseTo(-4055.9, 1);
  });

  it("gives the same model when time is measured in days: α scales by 7, r, a and b do not change", () => {
    const calibrationEnd = parseDayNumber("1997-09-30") as number;
    const inDays = fitModels(
      summariseLog(readFileSync(sampleFile, "utf8"), sampleFile, { calibrationEnd, unit: "day" }),
    ).bgNbd.params;
    const inWeeks = fitted.bgNbd.params;
    expect(inDays.alpha / (7 * inWeeks.alpha)).toBeCloseTo(1, 4);
    expect(inDays.r / inWeeks.r).toBeCloseTo(1, 4);
    expect(inDays.a / inWeeks.a).toBeCloseTo(1, 4);
    expect(inDays.b / inWeeks.b).toBeCloseTo(1, 4);
  });

  it("tracks the actual cumulative repeat purchases within 5% at weeks 39 and 78", () => {
    const tracking = readFileSync(join(cdnow, "btyd", "derived", "cdnowSummary_cu_tracking.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((row) => Number(row.split(",")[1]));
    const cohortStart = parseDayNumber("1997-01-01") as number;
    const firstPurchaseWeeks = Array.from(summary.firstPurchaseDay, (day) => (day - cohortStart) / 7);
    const [week39, week78] = expectedCumulativeRepeatPurchases(
      fitted.bgNbd.params,
      firstPurchaseWeeks,
      [39, 78],
    );
    expect(Math.abs((week39 as number) / (tracking[38] as number) - 1)).toBeLessThan(0.05);
    expect(Math.abs((week78 as number) / (tracking[77] as number) - 1)).toBeLessThan(0.05);
  });
});
