import { describe, expect, it } from "vitest";
import { satisfactionChart } from "../../../console/src/analytics/kpi-satisfaction-section";
import type { Kpis } from "../../../console/src/analytics/kpi-types";

// The KPIs page's NPS and CSAT chart: per month the NPS (−100 to 100) and CSAT (as %) as lines on one axis,
// the answers behind each as bars on a second; a month without answers leaves a gap, not a zero.

type Month = Kpis["series"]["satisfaction"][number];

function month(
  name: string,
  nps: { responses: number; score: number | null },
  csat: { responses: number; score: number | null },
): Month {
  return {
    month: name,
    nps: { ...nps, promoters: 0, passives: 0, detractors: 0 },
    csat: { ...csat, satisfied: 0 },
    byTier: {},
    bySegment: {},
  };
}

const rows = [
  month("2026-09", { responses: 10, score: 40 }, { responses: 5, score: 0.8 }),
  month("2026-10", { responses: 0, score: null }, { responses: 0, score: null }),
  month("2026-11", { responses: 4, score: -25 }, { responses: 2, score: 0.5 }),
];

interface Series {
  name: string;
  type: string;
  yAxisIndex?: number;
  data: Array<number | null>;
  tooltip?: { valueFormatter(value: unknown): string };
}

const option = satisfactionChart(rows) as {
  xAxis: { data: string[] };
  yAxis: Array<{ name: string; min?: number; max?: number }>;
  series: Series[];
};
const series = (name: string) => option.series.find((s) => s.name === name);

describe("satisfactionChart", () => {
  it("has a month per row and the scores' axis from −100 to 100 beside an axis of answers", () => {
    expect(option.xAxis.data).toEqual(["2026-09", "2026-10", "2026-11"]);
    expect(option.yAxis[0]).toMatchObject({ name: "NPS / CSAT %", min: -100, max: 100 });
    expect(option.yAxis[1]?.name).toBe("Answers");
  });

  it("draws the answers as bars on the second axis", () => {
    expect(series("NPS answers")).toMatchObject({ type: "bar", yAxisIndex: 1, data: [10, 0, 4] });
    expect(series("CSAT answers")).toMatchObject({ type: "bar", yAxisIndex: 1, data: [5, 0, 2] });
  });

  it("draws NPS as it is and CSAT as a percentage, with a gap for the month without answers", () => {
    expect(series("NPS")).toMatchObject({ type: "line", data: [40, null, -25] });
    expect(series("CSAT")).toMatchObject({ type: "line", data: [80, null, 50] });
  });

  it("writes NPS with its sign and CSAT as a percentage in the tooltip, a dash for no answers", () => {
    const nps = series("NPS")?.tooltip?.valueFormatter;
    const csat = series("CSAT")?.tooltip?.valueFormatter;
    expect([40, -25, null].map((v) => nps?.(v))).toEqual(["+40", "-25", "—"]);
    expect([80, 50, null].map((v) => csat?.(v))).toEqual(["80.0%", "50.0%", "—"]);
  });
});
