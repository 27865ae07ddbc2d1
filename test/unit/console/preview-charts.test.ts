import { describe, expect, it } from "vitest";
import { comparisonOption } from "../../../console/src/pages/preview-charts";

// The Preview page draws each figure it compares (points liability, rewards within reach) as two bars: the
// version in effect, then the draft.

interface BarSeries {
  type: string;
  name: string;
  data: Array<{ value: number }>;
}

describe("comparisonOption", () => {
  it("draws the current figure and the draft's as two bars, named for the figure", () => {
    const option = comparisonOption(
      { current: 12, draft: 17 },
      { series: "Rewards within reach", axis: "Member × reward pairs" },
    ) as { xAxis: { data: string[] }; yAxis: { name: string }; series: BarSeries[] };
    expect(option.xAxis.data).toEqual(["Current program", "Draft"]);
    expect(option.yAxis.name).toBe("Member × reward pairs");
    expect(option.series).toHaveLength(1);
    const [bars] = option.series;
    expect(bars?.type).toBe("bar");
    expect(bars?.name).toBe("Rewards within reach");
    expect(bars?.data.map((d) => d.value)).toEqual([12, 17]);
  });
});
