import { describe, expect, it } from "vitest";
import { formatSummary, type ReplaySummary } from "../../../scripts/replay/summary";

const summary: ReplaySummary = {
  members: 2,
  tiers: { silver: 2 },
  pointsLiability: { spendable: 10, pending: 5, total: 15 },
  rewardsUnlocked: 0,
  challengesCompleted: 3,
  referrals: { linked: 3, completed: 1 },
  emailsSent: 1,
  winBacksConverted: 0,
  eventsRejected: { byHandlers: 0, deadLettered: 0, refusedByBus: 0, total: 0 },
};

describe("replay summary", () => {
  it("names each job's own schedule instead of calling every job daily", () => {
    const text = formatSummary(summary, {
      sent: 10,
      wallMs: 1000,
      jobRuns: { "retention-job": { runs: 48, failed: 1 }, "analytics-job": { runs: 2, failed: 0 } },
    });
    expect(text).not.toMatch(/daily job/);
    expect(text).toContain("retention-job 48 (1 failed; hourly at :00)");
    expect(text).toContain("analytics-job 2 (daily at 01:00 UTC)");
    expect(text).toContain("scheduled jobs included");
    expect(text).toContain("challenges completed 3");
    expect(text).toContain("referrals            3 linked, 1 completed");
  });
});
