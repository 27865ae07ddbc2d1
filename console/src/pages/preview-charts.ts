import type { ChartOption } from "../components/chart";

// The ECharts options of the Preview page, built from the preview answer. Tiers are shown by name, in the
// draft's order (lowest first); a tier only the current program has comes after them under its id.

export interface TierMove {
  fromTierId: string;
  toTierId: string;
  members: number;
}

export interface TierAxis {
  ids: string[];
  names: string[];
}

/** Every tier id the answer names, the draft's tiers first, with its display name. */
export function tierAxis(draftTiers: ReadonlyArray<{ id: string; name: string }>, ids: string[]): TierAxis {
  const names = new Map(draftTiers.map((t) => [t.id, t.name]));
  const order = [...new Set([...draftTiers.map((t) => t.id), ...ids])];
  return { ids: order, names: order.map((id) => names.get(id) ?? id) };
}

/** A from-tier × to-tier matrix: rows are the tier each member is in now, columns the draft's tier. */
export function tierMoveOption(moves: readonly TierMove[], axis: TierAxis): ChartOption {
  const count = new Map(moves.map((m) => [`${m.fromTierId} ${m.toTierId}`, m.members]));
  const cells = axis.ids.flatMap((to, x) =>
    axis.ids.map((from, y) => [x, y, count.get(`${from} ${to}`) ?? 0]),
  );
  const max = Math.max(1, ...moves.map((m) => m.members));
  return {
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${axis.names[p.value[1]]} → ${axis.names[p.value[0]]}: ${p.value[2]} members`,
    },
    grid: { top: 30, left: 90, right: 20, bottom: 90 },
    xAxis: { type: "category", data: axis.names, name: "Draft tier", nameLocation: "middle", nameGap: 30 },
    yAxis: { type: "category", data: axis.names, name: "Tier now", nameLocation: "middle", nameGap: 70 },
    visualMap: {
      min: 0,
      max,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ["#eef4ff", "#1f6feb"] },
    },
    series: [{ type: "heatmap", name: "Members", data: cells, label: { show: true } }],
  };
}

/** A figure of the sample now and under the draft, side by side (points liability, rewards within reach). */
export function comparisonOption(
  figures: { current: number; draft: number },
  names: { series: string; axis: string },
): ChartOption {
  return {
    tooltip: { trigger: "axis" },
    grid: { top: 30, left: 70, right: 20, bottom: 30 },
    xAxis: { type: "category", data: ["Current program", "Draft"] },
    yAxis: { type: "value", name: names.axis, minInterval: 1 },
    series: [
      {
        type: "bar",
        name: names.series,
        data: [
          { value: figures.current, itemStyle: { color: "#98a2b3" } },
          { value: figures.draft, itemStyle: { color: "#1f6feb" } },
        ],
        label: { show: true, position: "top" },
        barMaxWidth: 80,
      },
    ],
  };
}
