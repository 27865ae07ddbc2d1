import type { ChartOption } from "../components/chart";
import { formatInteger, formatMoney, formatShare } from "../format";
import { type KpiMonth, type Kpis, keysOf } from "./kpi-types";

// The KPI page's ECharts options: acquisition by channel, the cohort retention triangle, active members,
// customer equity and lifecycle stages over the months of the range, and one month's stage flows.

const percentAxis = (name: string) => ({
  type: "value",
  name,
  min: 0,
  max: 100,
  axisLabel: { formatter: "{value}%" },
});

/** New members per month stacked by enrolment channel, with the share who purchased within 30 days. */
export function acquisitionChart(rows: Kpis["series"]["acquisition"]): ChartOption {
  const channels = keysOf(rows.map((row) => row.byChannel));
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 48, right: 48, top: 48, bottom: 32 },
    xAxis: { type: "category", data: rows.map((row) => row.month) },
    yAxis: [{ type: "value", name: "Members", minInterval: 1 }, percentAxis("30-day buyers")],
    series: [
      ...channels.map((channel) => ({
        name: channel,
        type: "bar",
        stack: "members",
        data: rows.map((row) => row.byChannel[channel] ?? 0),
      })),
      // Referral acquisitions are among the channels' bars, so a line, not another stacked bar.
      { name: "Referred", type: "line", data: rows.map((row) => row.referrals) },
      {
        name: "Purchased within 30 days",
        type: "line",
        yAxisIndex: 1,
        tooltip: { valueFormatter: (value: unknown) => formatShare(Number(value) / 100) },
        data: rows.map((row) => row.purchasedWithin30Days * 100),
      },
    ],
  };
}

/** The retention triangle: a row per enrolment cohort, a column per month since enrolling. */
export function cohortChart(cohorts: Kpis["series"]["cohorts"]): ChartOption {
  const width = Math.max(1, ...cohorts.map((row) => row.retention.length));
  // A month nobody enrolled in keeps its row but no cells: 0% of nobody is not a retention of 0%.
  const cells = cohorts.flatMap((row, y) =>
    row.size === 0 ? [] : row.retention.map((share, k) => [k, y, share * 100]),
  );
  return {
    tooltip: {
      position: "top",
      formatter: (params: { value: [number, number, number] }) => {
        const [k, y, percent] = params.value;
        const cohort = cohorts[y];
        if (!cohort) return "";
        return `Cohort ${cohort.cohort} (${formatInteger(cohort.size)} members)<br>Month +${k}: ${formatShare(percent / 100)} purchased`;
      },
    },
    grid: { left: 72, right: 16, top: 16, bottom: 96 },
    xAxis: {
      type: "category",
      data: Array.from({ length: width }, (_, k) => String(k)),
      name: "Months since enrolling",
      nameLocation: "middle",
      nameGap: 28,
    },
    yAxis: { type: "category", inverse: true, data: cohorts.map((row) => row.cohort) },
    visualMap: {
      min: 0,
      max: 100,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      text: ["100% retained", "0%"],
      inRange: { color: ["#eef4ff", "#1f6feb", "#0b2e6b"] },
    },
    series: [{ name: "Retention", type: "heatmap", data: cells }],
  };
}

/** Members with a purchase per month, and the share of last month's active members still active. */
export function activeChart(rows: Kpis["series"]["active"]): ChartOption {
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 48, bottom: 32 },
    xAxis: { type: "category", data: rows.map((row) => row.month) },
    yAxis: [{ type: "value", name: "Members", minInterval: 1 }, percentAxis("Retention")],
    series: [
      { name: "Active members", type: "bar", data: rows.map((row) => row.active) },
      {
        name: "Retention rate",
        type: "line",
        yAxisIndex: 1,
        tooltip: { valueFormatter: (value: unknown) => formatShare(Number(value) / 100) },
        data: rows.map((row) => row.retentionRate * 100),
      },
    ],
  };
}

/** Customer equity at each month's run (a point per month with a snapshot). */
export function equityChart(months: readonly KpiMonth[], currency: string | undefined): ChartOption {
  const money = (value: unknown) => formatMoney(Number(value), currency);
  return {
    tooltip: { trigger: "axis", valueFormatter: money },
    grid: { left: 104, right: 24, top: 24, bottom: 32 },
    xAxis: { type: "category", data: months.map((m) => m.month) },
    yAxis: { type: "value", axisLabel: { formatter: money } },
    series: [
      {
        name: "Customer equity",
        type: "line",
        // A single month is a point, not a line: keep the symbols.
        showSymbol: true,
        symbolSize: 8,
        data: months.map((m) => m.equity.totalMinor),
      },
    ],
  };
}

/** Members per lifecycle stage at each month's run, stacked. */
export function lifecycleChart(months: readonly KpiMonth[]): ChartOption {
  const stages = keysOf(months.map((m) => m.lifecycle.stages));
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 56, right: 16, top: 48, bottom: 32 },
    xAxis: { type: "category", data: months.map((m) => m.month) },
    yAxis: { type: "value", name: "Members", minInterval: 1 },
    series: stages.map((stage) => ({
      name: stage,
      type: "bar",
      stack: "stages",
      barMaxWidth: 64,
      data: months.map((m) => m.lifecycle.stages[stage] ?? 0),
    })),
  };
}

type StageFlows = NonNullable<KpiMonth["lifecycle"]["flows"]>;

/** A month's stage flows as a from → to heat map: a row per stage at its start, a column per stage at its end. */
export function stageFlowChart(flows: StageFlows): ChartOption {
  const origins = [...new Set(flows.flows.map((f) => f.from))];
  const ends = [...new Set(flows.flows.map((f) => f.to))];
  const cells = flows.flows.map((f) => [ends.indexOf(f.to), origins.indexOf(f.from), f.members]);
  return {
    tooltip: {
      position: "top",
      formatter: (params: { value: [number, number, number] }) => {
        const [x, y, members] = params.value;
        return `${origins[y]} → ${ends[x]}: ${formatInteger(members)} members`;
      },
    },
    grid: { left: 80, right: 16, top: 16, bottom: 96 },
    xAxis: { type: "category", data: ends, name: "Stage at the end", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", inverse: true, data: origins },
    visualMap: {
      min: 0,
      max: Math.max(1, ...flows.flows.map((f) => f.members)),
      orient: "horizontal",
      left: "center",
      bottom: 0,
      text: ["more members", "0"],
      inRange: { color: ["#eef4ff", "#1f6feb", "#0b2e6b"] },
    },
    series: [{ name: "Members", type: "heatmap", data: cells, label: { show: true, formatter: "{@[2]}" } }],
  };
}
