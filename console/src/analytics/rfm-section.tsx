import { useMemo } from "react";
import { Chart, type ChartOption } from "../components/chart";
import { formatInteger, formatMoney, formatShare } from "../format";
import type { SegmentsSnapshot } from "./segments-types";

// The RFM grid as a heatmap (recency × frequency quintiles, 5 best; colour: members; tooltip: their CLV and
// most common segment) and the segments table.

type Rfm = SegmentsSnapshot["rfm"];
const SCORES = ["1", "2", "3", "4", "5"];

function heatmap(grid: Rfm["grid"], currency: string | undefined): ChartOption {
  const max = Math.max(1, ...grid.map((cell) => cell.members));
  return {
    tooltip: {
      position: "top",
      formatter: (params: { dataIndex: number }) => {
        const cell = grid[params.dataIndex];
        if (!cell) return "";
        return [
          `Recency ${cell.recency}, frequency ${cell.frequency}`,
          `${formatInteger(cell.members)} members`,
          `CLV ${formatMoney(cell.clvMinor, currency)}`,
          cell.segment ? `Mostly ${cell.segment}` : "Empty",
        ].join("<br>");
      },
    },
    grid: { left: 64, right: 16, top: 16, bottom: 100 },
    xAxis: { type: "category", data: SCORES, name: "Recency score", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", data: SCORES, name: "Frequency score", nameLocation: "middle", nameGap: 36 },
    visualMap: {
      min: 0,
      max,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      text: ["More members", "Fewer"],
      inRange: { color: ["#eef4ff", "#1f6feb", "#0b2e6b"] },
    },
    series: [
      {
        name: "Members",
        type: "heatmap",
        data: grid.map((cell) => [cell.recency - 1, cell.frequency - 1, cell.members]),
        label: { show: true },
      },
    ],
  };
}

export function RfmSection({ rfm, currency }: { rfm: Rfm; currency: string | undefined }) {
  const option = useMemo(() => heatmap(rfm.grid, currency), [rfm.grid, currency]);
  return (
    <section aria-labelledby="rfm-heading">
      <h2 id="rfm-heading">RFM grid</h2>
      <Chart
        option={option}
        height={400}
        label="Heatmap of members by recency score (columns) and frequency score (rows), 5 best"
      />
      <h2 id="segments-heading">Segments</h2>
      <div className="table-scroll">
        <table aria-labelledby="segments-heading">
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col" className="number">
                Members
              </th>
              <th scope="col" className="number">
                Share
              </th>
              <th scope="col" className="number">
                CLV (sum)
              </th>
              <th scope="col" className="number">
                Mean probability alive
              </th>
            </tr>
          </thead>
          <tbody>
            {rfm.segments.map((segment) => (
              <tr key={segment.name}>
                <th scope="row">{segment.name}</th>
                <td className="number">{formatInteger(segment.members)}</td>
                <td className="number">{formatShare(segment.share)}</td>
                <td className="number">{formatMoney(segment.clvMinor, currency)}</td>
                <td className="number">{formatShare(segment.meanProbabilityAlive)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
