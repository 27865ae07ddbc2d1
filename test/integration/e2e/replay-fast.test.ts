import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulatedClock } from "../../../scripts/local/clock";
import { type Platform, startPlatform } from "../../../scripts/local/platform";
import { replayEvents } from "../../../scripts/replay/replay-events";
import { runReplay } from "../../../scripts/replay/run-replay";
import { replaySummary } from "../../../scripts/replay/summary";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";

// A year of history at full speed with no scheduled jobs (as the benchmark runs it): the simulated clock
// must never run so far ahead of the bus's queue that the time policy parks history as arrived-too-late.

const END_DAY = "2026-11-01";
const events = replayEvents(syntheticPurchaseLog({ members: 300, seed: 3, endDay: END_DAY }), {
  endDay: END_DAY,
  referralShare: 0.2,
});
const clock = createSimulatedClock(new Date((events[0]?.at.getTime() ?? 0) - 60_000));
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    clock,
    handlerLogLevel: "SILENT",
    outboxPollIntervalMs: 50,
    jobs: [],
  });
});
afterAll(async () => {
  await platform?.stop();
});

describe("replay at full speed without jobs", () => {
  it("applies a year of history with nothing rejected", { timeout: 300_000 }, async () => {
    const run = await runReplay({
      platform,
      events,
      speed: "max",
      clock,
      endAt: new Date(`${END_DAY}T23:59:00Z`),
    });
    expect(run.sent).toBe(events.length);
    const summary = await replaySummary(platform, run);
    expect(summary.eventsRejected).toMatchObject({ total: 0 });
    expect(summary.members).toBe(300);
    // A fifth of the new members enrol with an earlier member's code and are linked (their enrolment is applied
    // before their first purchase); without the retention job a referral completes only when the referee buys
    // again after their qualifying purchase cleared.
    expect(summary.referrals.linked).toBeGreaterThan(40);
    expect(summary.referrals.completed).toBeGreaterThan(0);
  });
});
