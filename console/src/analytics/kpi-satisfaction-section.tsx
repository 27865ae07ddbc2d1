import { Fragment, useMemo } from "react";
import { Chart, type ChartOption } from "../components/chart";
import { formatInteger, formatShare, formatSigned } from "../format";
import { KpiDefinitions } from "./kpi-definitions";
import type { KpiMonth, Kpis } from "./kpi-types";

// NPS and CSAT by month (lines on a −100 to 100 scale, answers as bars), the latest month with answers as
// figures by tier, channel and store, and how complainers whose case was resolved kept buying against those still waiting.

type SatisfactionMonth = Kpis["series"]["satisfaction"][number];
type Figures = Pick<SatisfactionMonth, "nps" | "csat">;

const answered = (row: Figures) => row.nps.responses + row.csat.responses > 0;
const npsText = (score: number | null) => (score === null ? "—" : formatSigned(score, 1));

/** NPS and CSAT (as %) per month, with the answers behind each as bars on a second axis. */
export function satisfactionChart(rows: readonly SatisfactionMonth[]): ChartOption {
  const percent = (value: unknown) => (value === null ? "—" : formatShare(Number(value) / 100));
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 48, right: 56, top: 56, bottom: 32 },
    xAxis: { type: "category", data: rows.map((row) => row.month) },
    yAxis: [
      { type: "value", name: "NPS / CSAT %", min: -100, max: 100 },
      { type: "value", name: "Answers", minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: "NPS answers",
        type: "bar",
        yAxisIndex: 1,
        barMaxWidth: 24,
        data: rows.map((row) => row.nps.responses),
      },
      {
        name: "CSAT answers",
        type: "bar",
        yAxisIndex: 1,
        barMaxWidth: 24,
        data: rows.map((row) => row.csat.responses),
      },
      {
        name: "NPS",
        type: "line",
        showSymbol: true,
        tooltip: { valueFormatter: (value: unknown) => (value === null ? "—" : npsText(Number(value))) },
        data: rows.map((row) => row.nps.score),
      },
      {
        name: "CSAT",
        type: "line",
        showSymbol: true,
        tooltip: { valueFormatter: percent },
        data: rows.map((row) => (row.csat.score === null ? null : row.csat.score * 100)),
      },
    ],
  };
}

function FiguresRow({ name, row }: { name: string; row: Figures }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className="number">{npsText(row.nps.score)}</td>
      <td className="number">{formatInteger(row.nps.responses)}</td>
      <td className="number">{formatShare(row.csat.score)}</td>
      <td className="number">{formatInteger(row.csat.responses)}</td>
    </tr>
  );
}

function RecoveryFigures({ recovery }: { recovery: NonNullable<KpiMonth["serviceRecovery"]> }) {
  const groups = [
    ["Recovered (case resolved)", recovery.recovered],
    ["Unrecovered (case open)", recovery.unrecovered],
  ] as const;
  return (
    <dl className="facts">
      {groups.map(([name, group]) => (
        <Fragment key={name}>
          <dt>{name}</dt>
          <dd>
            {formatShare(group.retentionRate)} bought again ({formatInteger(group.purchasedAfter)} of{" "}
            {formatInteger(group.complainers)})
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function SatisfactionSection({ kpis }: { kpis: Kpis }) {
  const rows = kpis.series.satisfaction;
  const chart = useMemo(() => satisfactionChart(rows), [rows]);
  const latest = rows.findLast(answered);
  const recovery = kpis.months.at(-1)?.serviceRecovery;
  return (
    <section aria-labelledby="satisfaction-heading">
      <h2 id="satisfaction-heading">NPS and CSAT</h2>
      {latest ? (
        <>
          <Chart
            option={chart}
            label="Line chart of NPS and CSAT per month, with the number of survey answers as bars"
          />
          <h3 id="satisfaction-latest-heading">Survey answers, {latest.month}</h3>
          <div className="table-scroll">
            <table aria-labelledby="satisfaction-latest-heading">
              <thead>
                <tr>
                  <th scope="col">Members</th>
                  <th scope="col" className="number">
                    NPS
                  </th>
                  <th scope="col" className="number">
                    NPS answers
                  </th>
                  <th scope="col" className="number">
                    CSAT
                  </th>
                  <th scope="col" className="number">
                    CSAT answers
                  </th>
                </tr>
              </thead>
              <tbody>
                <FiguresRow name="All" row={latest} />
                {Object.entries(latest.byTier).map(([tier, row]) => (
                  <FiguresRow key={tier} name={`Tier ${tier}`} row={row} />
                ))}
                {Object.entries(latest.byChannel ?? {}).map(([channel, row]) => (
                  <FiguresRow key={`c-${channel}`} name={`Channel ${channel}`} row={row} />
                ))}
                {Object.entries(latest.byStore ?? {}).map(([store, row]) => (
                  <FiguresRow key={`s-${store}`} name={`Store ${store}`} row={row} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="notice">
          No survey answers from {kpis.from} to {kpis.to}: NPS and CSAT come from <code>survey-answered</code>{" "}
          interactions with an <code>npsScore</code> (0–10) or <code>csatScore</code> (1–5).
        </p>
      )}
      <KpiDefinitions
        definitions={kpis.definitions}
        keys={["nps", "csat", "surveyResponses", "satisfactionByGroup"]}
      />
      {recovery && recovery.recovered.complainers + recovery.unrecovered.complainers > 0 && (
        <>
          <h3>Complainers, {kpis.months.at(-1)?.month}</h3>
          <RecoveryFigures recovery={recovery} />
          <KpiDefinitions definitions={kpis.definitions} keys={["complainerRetention"]} />
        </>
      )}
    </section>
  );
}
