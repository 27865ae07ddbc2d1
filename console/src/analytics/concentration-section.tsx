import { useMemo } from "react";
import { Chart, type ChartOption } from "../components/chart";
import { formatInteger, formatMoney, formatNumber, formatShare } from "../format";
import type { SegmentsSnapshot } from "./segments-types";

// How concentrated value is: Lorenz curves of predicted value (CLV) and of spend to date against the line of
// equality, with the top-10% and top-20% shares and the Gini coefficient of each.

type Concentration = SegmentsSnapshot["concentration"];
type Measure = Concentration["clv"];

const MEASURES = [
  { key: "clv", name: "Predicted value (CLV)" },
  { key: "spend", name: "Spend to date" },
] as const;

const point = (population: number, value: number) => [population * 100, value * 100];

function lorenzChart(concentration: Concentration): ChartOption {
  const axis = (name: string) => ({
    type: "value",
    min: 0,
    max: 100,
    name,
    nameLocation: "middle",
    nameGap: 32,
    axisLabel: { formatter: "{value}%" },
  });
  return {
    tooltip: { trigger: "axis", valueFormatter: (value: unknown) => `${formatNumber(Number(value), 1)}%` },
    legend: { top: 0 },
    grid: { left: 64, right: 24, top: 40, bottom: 56 },
    xAxis: axis("Members, least valuable first"),
    yAxis: axis("Share of the total"),
    series: [
      ...MEASURES.map(({ key, name }) => ({
        name,
        type: "line",
        smooth: false,
        data: concentration[key].lorenz.map((p) => point(p.population, p.value)),
      })),
      {
        name: "Equality",
        type: "line",
        symbol: "none",
        lineStyle: { type: "dashed", color: "#98a2b3" },
        itemStyle: { color: "#98a2b3" },
        data: [point(0, 0), point(1, 1)],
      },
    ],
  };
}

function MeasureFacts({
  name,
  measure,
  currency,
}: {
  name: string;
  measure: Measure;
  currency: string | undefined;
}) {
  const id = `concentration-${name.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h3 id={id}>{name}</h3>
      <dl className="facts">
        <dt>Top 10% of members hold</dt>
        <dd>{formatShare(measure.top10Share)}</dd>
        <dt>Top 20% of members hold</dt>
        <dd>{formatShare(measure.top20Share)}</dd>
        <dt>Gini coefficient</dt>
        <dd>{formatNumber(measure.gini, 3)}</dd>
        <dt>Total</dt>
        <dd>
          {formatMoney(measure.totalMinor, currency)} over {formatInteger(measure.members)} members
        </dd>
      </dl>
    </section>
  );
}

export function ConcentrationSection({
  concentration,
  currency,
}: {
  concentration: Concentration;
  currency: string | undefined;
}) {
  const option = useMemo(() => lorenzChart(concentration), [concentration]);
  return (
    <section aria-labelledby="concentration-heading">
      <h2 id="concentration-heading">Value concentration</h2>
      <Chart
        option={option}
        label="Lorenz curves of predicted value and of spend to date, with the diagonal of perfect equality"
      />
      <div className="grid">
        {MEASURES.map(({ key, name }) => (
          <MeasureFacts key={key} name={name} measure={concentration[key]} currency={currency} />
        ))}
      </div>
    </section>
  );
}
