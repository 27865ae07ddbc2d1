import { describe, expect, it } from "vitest";
import { describeSchedule } from "../../../infra/function-specs";
import { dueRuns, scheduleOf } from "../../../scripts/local/jobs";

const jobs = [
  { name: "nightly", at: { hour: 1, minute: 0 } },
  { name: "hourly", at: { minute: 15 } },
];
const iso = (runs: ReturnType<typeof dueRuns>) => runs.map((r) => `${r.name} ${r.at.toISOString()}`);

describe("local job schedule", () => {
  it("runs a daily job once a day and an hourly one every hour, in time order", () => {
    const runs = dueRuns(jobs, new Date("2025-03-01T23:30:00Z"), new Date("2025-03-02T02:15:00Z"));
    expect(iso(runs)).toEqual([
      "hourly 2025-03-02T00:15:00.000Z",
      "nightly 2025-03-02T01:00:00.000Z",
      "hourly 2025-03-02T01:15:00.000Z",
      "hourly 2025-03-02T02:15:00.000Z",
    ]);
  });

  it("counts a run at the window's end and not at its start, so consecutive windows never repeat one", () => {
    const first = dueRuns(jobs, new Date("2025-03-02T00:00:00Z"), new Date("2025-03-02T01:00:00Z"));
    const second = dueRuns(jobs, new Date("2025-03-02T01:00:00Z"), new Date("2025-03-03T01:00:00Z"));
    expect(iso(first)).toEqual(["hourly 2025-03-02T00:15:00.000Z", "nightly 2025-03-02T01:00:00.000Z"]);
    expect(second.filter((r) => r.name === "nightly")).toHaveLength(1);
    expect(second.filter((r) => r.name === "hourly")).toHaveLength(24);
  });

  it("takes each job's schedule from its function spec", () => {
    expect(describeSchedule(scheduleOf("retention-job"))).toBe("hourly at :00");
    expect(describeSchedule(scheduleOf("analytics-job"))).toBe("daily at 01:00 UTC");
    expect(() => scheduleOf("purchase-completed")).toThrow(
      'job "purchase-completed" has no schedule in infra/function-specs.ts',
    );
  });
});
