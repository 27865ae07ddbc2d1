import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulatedClock } from "../../../scripts/local/clock";
import type { ScheduledRun } from "../../../scripts/local/jobs";
import { type Platform, startPlatform } from "../../../scripts/local/platform";
import { parsePurchaseLog } from "../../../scripts/replay/purchase-log";
import { replayEvents } from "../../../scripts/replay/replay-events";
import { runReplay } from "../../../scripts/replay/run-replay";
import { replaySummary } from "../../../scripts/replay/summary";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";

// The replay through a real platform: a small purchase log on a simulated clock, with the real scheduled
// jobs, each of which must run at its scheduled times while the purchases flow.

const LOG = `customer_id,date,amount,order_id,category
alice,2026-03-01,45.00,A-1,apparel
bob,2026-03-01,8.50,,coffee
alice,2026-03-02,20.00,A-2,shoes
carol,2026-03-03,12.00,C-1,
bob,2026-03-04,8.50,,coffee
`;
const END_DAY = "2026-11-01";

let platform: Platform;
const rows = parsePurchaseLog(LOG, "log.csv");
const events = replayEvents(rows, { endDay: END_DAY });
const clockStart = (events[0]?.at.getTime() ?? 0) - 60_000;
const clock = createSimulatedClock(new Date(clockStart));

beforeAll(async () => {
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    clock,
    handlerLogLevel: "SILENT",
    outboxPollIntervalMs: 50,
  });
});

afterAll(async () => {
  await platform?.stop();
});

describe("replay", () => {
  it("reads the generic CSV and moves the log so it ends on the given day", () => {
    expect(rows.map((r) => [r.customerId, r.day, r.amountMinor])).toEqual([
      ["alice", "2026-03-01", 4500],
      ["bob", "2026-03-01", 850],
      ["alice", "2026-03-02", 2000],
      ["carol", "2026-03-03", 1200],
      ["bob", "2026-03-04", 850],
    ]);
    // 3 enrolments + 5 purchases, the last on END_DAY.
    expect(events).toHaveLength(8);
    expect(events.at(-1)?.at.toISOString().slice(0, 10)).toBe(END_DAY);
    expect(events.filter((e) => e.entry.DetailType === "Member Enrolled")).toHaveLength(3);
  });

  it("reads CDNOW and names the line of a bad row", () => {
    expect(parsePurchaseLog("00001 19970101 1 11.77\n00002 19970112 2 29.33\n", "cdnow.txt")).toHaveLength(2);
    expect(() => parsePurchaseLog("customer_id,date,amount\nx,2026-02-30,1\n", "bad.csv")).toThrow(
      'bad.csv line 2: date "2026-02-30" is not a valid YYYYMMDD or YYYY-MM-DD date',
    );
    expect(() => parsePurchaseLog("customer_id,amount\nx,1\n", "bad.csv")).toThrow('"date" is missing');
  });

  it("generates the same synthetic log for the same seed, with members buying at different rates", () => {
    const a = syntheticPurchaseLog({ members: 300, seed: 7, endDay: END_DAY });
    expect(syntheticPurchaseLog({ members: 300, seed: 7, endDay: END_DAY })).toEqual(a);
    const perMember = new Map<string, number>();
    for (const row of a) perMember.set(row.customerId, (perMember.get(row.customerId) ?? 0) + 1);
    expect(perMember.size).toBe(300);
    const counts = [...perMember.values()];
    // Heterogeneous: many one-time buyers and some regulars.
    expect(counts.filter((c) => c === 1).length).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeGreaterThan(5);
  });

  it("replays through the bus with a simulated clock, running the scheduled jobs as time passes", async () => {
    const runs: ScheduledRun[] = [];
    const recording = {
      ...platform,
      catchUpJobs: async () => {
        const made = await platform.catchUpJobs();
        runs.push(...made);
        return made;
      },
    };
    const run = await runReplay({
      platform: recording,
      events,
      speed: "max",
      clock,
      endAt: new Date(`${END_DAY}T23:00:00Z`),
    });
    expect(run).toMatchObject({ sent: 8, failedEntries: 0 });
    const summary = await replaySummary(platform, run);
    expect(summary.members).toBe(3);
    expect(Object.values(summary.tiers).reduce((a, b) => a + b, 0)).toBe(3);
    expect(summary.eventsRejected.total).toBe(0);
    expect(summary.pointsLiability.total).toBeGreaterThan(0);
    // Every scheduled run the simulated clock passed, at the times the function specs give: the analytics
    // job daily at 01:00 UTC from the day after the first purchase through END_DAY, the retention job hourly.
    const first = events[0]?.at.getTime() ?? 0;
    const expectedDays = Math.round(
      (Date.parse(`${END_DAY}T00:00:00Z`) - Math.floor(first / 86_400_000) * 86_400_000) / 86_400_000,
    );
    const analytics = runs.filter((r) => r.name === "analytics-job").map((r) => r.at.toISOString());
    expect(analytics).toHaveLength(expectedDays);
    expect(new Set(analytics).size).toBe(analytics.length);
    expect(analytics.every((at) => at.endsWith("T01:00:00.000Z"))).toBe(true);
    expect(analytics.at(-1)).toBe(`${END_DAY}T01:00:00.000Z`);
    const retention = runs.filter((r) => r.name === "retention-job").map((r) => r.at.getTime());
    // Whole hours in (clockStart, END_DAY 23:00].
    const expectedHours =
      Math.floor(Date.parse(`${END_DAY}T23:00:00Z`) / 3_600_000) - Math.floor(clockStart / 3_600_000);
    expect(retention).toHaveLength(expectedHours);
    expect(retention.every((at, i) => i === 0 || at - (retention[i - 1] ?? 0) === 3_600_000)).toBe(true);
    expect(retention.at(-1)).toBe(Date.parse(`${END_DAY}T23:00:00Z`));
    // Too few customers for the value models: the analytics job skips its fit rather than failing.
    expect(run.jobRuns).toEqual({
      "analytics-job": { runs: expectedDays, failed: 0 },
      "retention-job": { runs: expectedHours, failed: 0 },
    });
  });
});
