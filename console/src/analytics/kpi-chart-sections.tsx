import { useMemo } from "react";
import { Chart } from "../components/chart";
import { formatInteger } from "../format";
import {
  acquisitionChart,
  activeChart,
  cohortChart,
  equityChart,
  lifecycleChart,
  stageFlowChart,
} from "./kpi-charts";
import { KpiDefinitions } from "./kpi-definitions";
import { type Kpis, keysOf } from "./kpi-types";

// The KPI series as charts, each with the API's definition of what it plots under it.

export function KpiChartSections({ kpis, currency }: { kpis: Kpis; currency: string | undefined }) {
  const { series, months, definitions } = kpis;
  const acquisition = useMemo(() => acquisitionChart(series.acquisition), [series.acquisition]);
  const cohorts = useMemo(() => cohortChart(series.cohorts), [series.cohorts]);
  const active = useMemo(() => activeChart(series.active), [series.active]);
  const equity = useMemo(() => equityChart(months, currency), [months, currency]);
  const lifecycle = useMemo(() => lifecycleChart(months), [months]);
  const latest = months.at(-1);
  // The newest month with stage flows (snapshots stored before them have none).
  const flows = months.findLast((m) => m.lifecycle.flows)?.lifecycle.flows;
  const flowChart = useMemo(() => flows && stageFlowChart(flows), [flows]);
  return (
    <>
      <section aria-labelledby="acquisition-heading">
        <h2 id="acquisition-heading">Acquisition</h2>
        <Chart
          option={acquisition}
          label="Bar chart of new members per month by enrolment channel, with the share who purchased within 30 days"
        />
        <KpiDefinitions
          definitions={definitions}
          keys={["acquisition", "referrals", "purchasedWithin30Days"]}
        />
      </section>
      <section aria-labelledby="cohorts-heading">
        <h2 id="cohorts-heading">Cohort retention</h2>
        <Chart
          option={cohorts}
          height={Math.max(320, 140 + series.cohorts.length * 24)}
          label="Heatmap of cohort retention: a row per enrolment month, a column per month since enrolling"
        />
        <KpiDefinitions definitions={definitions} keys={["cohortRetention", "cohortDefection"]} />
      </section>
      <section aria-labelledby="active-heading">
        <h2 id="active-heading">Active members</h2>
        <Chart option={active} label="Bar chart of active members per month, with the retention rate" />
        <KpiDefinitions definitions={definitions} keys={["activeMembers", "retentionRate"]} />
      </section>
      <section aria-labelledby="equity-heading">
        <h2 id="equity-heading">Customer equity</h2>
        <Chart option={equity} height={300} label="Line chart of customer equity at each month's run" />
        <KpiDefinitions definitions={definitions} keys={["customerEquity"]} />
      </section>
      <section aria-labelledby="lifecycle-heading">
        <h2 id="lifecycle-heading">Lifecycle stages</h2>
        <Chart
          option={lifecycle}
          label="Stacked bar chart of members per lifecycle stage at each month's run"
        />
        {latest && (
          <div className="table-scroll">
            <table aria-label={`Lifecycle stages, ${latest.month}`}>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col" className="number">
                    Members
                  </th>
                  <th scope="col" className="number">
                    Entered this month
                  </th>
                </tr>
              </thead>
              <tbody>
                {keysOf([latest.lifecycle.stages, latest.lifecycle.entered]).map((stage) => (
                  <tr key={stage}>
                    <th scope="row">{stage}</th>
                    <td className="number">{formatInteger(latest.lifecycle.stages[stage] ?? 0)}</td>
                    <td className="number">{formatInteger(latest.lifecycle.entered[stage] ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {flows && flowChart && (
          <>
            <h3>
              Stage flows, {flows.month} ({flows.closedAt ? "closed" : "so far"})
            </h3>
            <Chart
              option={flowChart}
              label={`Heatmap of stage flows in ${flows.month}: members from each stage at the month's start to each stage at its end`}
            />
            {flows.unknown > 0 && (
              <p>
                {formatInteger(flows.unknown)} members stored before stage history was kept are not shown.
              </p>
            )}
          </>
        )}
        <KpiDefinitions definitions={definitions} keys={["lifecycleStages", "stageFlows"]} />
      </section>
    </>
  );
}
