import { useMemo } from "react";
import { Chart, type ChartOption } from "../components/chart";
import { formatInteger, formatNumber } from "../format";
import type { SegmentsSnapshot } from "./segments-types";

type RepeatBins = NonNullable<SegmentsSnapshot["fit"]["repeatCheck"]>;

// The BG/NBD fit check: customers per number of repeat purchases, as counted and as the fitted model expects
// them. Bars of each pair close together mean the model describes the base it scores.

export function RepeatCheckChart({ bins }: { bins: RepeatBins }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["Actual customers", "Expected by the model"] },
      grid: { left: 56, right: 16, top: 40, bottom: 48 },
      xAxis: {
        type: "category",
        name: "Repeat purchases",
        nameLocation: "middle",
        nameGap: 28,
        data: bins.map((b) => b.repeats),
      },
      yAxis: { type: "value", name: "Customers" },
      series: [
        { name: "Actual customers", type: "bar", data: bins.map((b) => b.actual) },
        { name: "Expected by the model", type: "bar", data: bins.map((b) => b.expected) },
      ],
    }),
    [bins],
  );
  return (
    <section className="card" aria-labelledby="repeat-check-heading">
      <h3 id="repeat-check-heading">Fit check: repeat purchases, actual vs expected</h3>
      <Chart
        option={option}
        label="Fit check: customers per repeat-purchase count, actual and expected by BG/NBD"
      />
      <div className="table-scroll">
        <table>
          <caption>Customers per repeat-purchase count</caption>
          <thead>
            <tr>
              <th scope="col">Repeat purchases</th>
              <th scope="col">Actual</th>
              <th scope="col">Expected</th>
            </tr>
          </thead>
          <tbody>
            {bins.map((bin) => (
              <tr key={bin.repeats}>
                <th scope="row">{bin.repeats}</th>
                <td>{formatInteger(bin.actual)}</td>
                <td>{formatNumber(bin.expected, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
