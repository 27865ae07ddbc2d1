import { paginateScan } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { memberPk, STATE_SK } from "../../../functions/adapters/dynamo/keys";
import { decodeState, STATE_ATTRIBUTE } from "../../../functions/adapters/dynamo/state-codec";
import { createSimulatedClock } from "../../../scripts/local/clock";
import type { Platform } from "../../../scripts/local/platform";
import { replayEvents } from "../../../scripts/replay/replay-events";
import { startReplayPlatform } from "../../../scripts/replay/replay-platform";
import { runReplay } from "../../../scripts/replay/run-replay";
import { type ReplaySummary, replaySummary } from "../../../scripts/replay/summary";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";

// The replay keeps the bus's 16 workers busy (no settles while no jobs run, other members' events flowing past a
// member's waiting one), yet must come to exactly what handling the log one event at a time, in order, comes to:
// every member's state and the summary the same. It can because each member's events are delivered in order
// and each delivery is handled at its event's time, however far the queue lags behind the clock.

const END_DAY = "2026-11-01";
const events = replayEvents(syntheticPurchaseLog({ members: 150, seed: 11, endDay: END_DAY }), {
  endDay: END_DAY,
});

interface Outcome {
  summary: Omit<ReplaySummary, "emailsSent">;
  states: Map<string, unknown>;
  settles: number;
}

async function memberStates(platform: Platform): Promise<Map<string, unknown>> {
  const states = new Map<string, unknown>();
  const pages = paginateScan(
    { client: platform.client },
    {
      TableName: platform.tableName,
      FilterExpression: "SK = :state AND begins_with(PK, :member)",
      ExpressionAttributeValues: { ":state": { S: STATE_SK }, ":member": { S: memberPk("") } },
    },
  );
  for await (const page of pages)
    for (const item of page.Items ?? []) states.set(item.PK?.S ?? "", decodeState(item[STATE_ATTRIBUTE]));
  return states;
}

async function replay(options: { busWorkers: number; requestsInFlight: number }): Promise<Outcome> {
  const clock = createSimulatedClock(new Date((events[0]?.at.getTime() ?? 0) - 60_000));
  const platform = await startReplayPlatform(clock, { bus: { concurrency: options.busWorkers } });
  try {
    let settles = 0;
    const counted = {
      ...platform,
      settle: () => {
        settles += 1;
        return platform.settle();
      },
    };
    const run = await runReplay({
      platform: counted,
      events,
      speed: "max",
      clock,
      maxInFlight: options.requestsInFlight,
      endAt: new Date(`${END_DAY}T23:59:00Z`),
    });
    expect(run.sent).toBe(events.length);
    const { emailsSent: _none, ...summary } = await replaySummary(platform, run);
    return { summary, states: await memberStates(platform), settles };
  } finally {
    await platform.stop();
  }
}

describe("pipelined replay", () => {
  it("comes to the same members as one event at a time, in order", { timeout: 600_000 }, async () => {
    const sequential = await replay({ busWorkers: 1, requestsInFlight: 1 });
    const pipelined = await replay({ busWorkers: 16, requestsInFlight: 8 });

    expect(sequential.summary.eventsRejected.total).toBe(0);
    expect(sequential.summary.members).toBe(150);
    expect(pipelined.summary).toEqual(sequential.summary);
    expect(pipelined.states.size).toBe(150);
    for (const [pk, state] of sequential.states) expect(pipelined.states.get(pk), pk).toEqual(state);
    // Only the end of the run settles: the platform handles each event at its own time, so no late-window settle.
    expect(pipelined.settles).toBe(2);
  });
});
