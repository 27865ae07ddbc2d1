import { describe, expect, it } from "vitest";
import { interactionRecordedSchema } from "../../../events/inbound/interaction-recorded";
import { replayEvents } from "../../../scripts/replay/replay-events";
import { challengeEvents } from "../../../scripts/replay/synthetic-challenges";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";

const endDay = "2026-03-31";
const purchases = replayEvents(syntheticPurchaseLog({ members: 400, seed: 7, endDay }), { endDay });
const options = {
  seed: 7,
  rate: 0.25,
  optInChallenges: ["three-visits-30-days"],
  endAt: new Date(`${endDay}T23:59:59Z`),
};

describe("synthetic challenge opt-ins", () => {
  const events = challengeEvents(purchases, options);
  const details = events.map((e) => interactionRecordedSchema.parse(JSON.parse(e.entry.Detail ?? "")));

  it("is deterministic by seed and sends valid Interaction Recorded events, in time order", () => {
    expect(challengeEvents(purchases, options)).toEqual(events);
    expect(events.map((e) => e.at.getTime())).toEqual(
      [...events].map((e) => e.at.getTime()).sort((a, b) => a - b),
    );
    expect(events.every((e) => e.at <= options.endAt)).toBe(true);
  });

  it("opts about the rate's share of members in, each the day before one of their purchases", () => {
    const members = new Set(
      purchases
        .filter((e) => e.entry.DetailType === "Purchase Completed")
        .map((e) => JSON.parse(e.entry.Detail ?? "").memberId),
    );
    const optIns = details.filter((d) => d.kind === "challenge-opt-in");
    expect(optIns.every((d) => d.attributes?.challengeId === "three-visits-30-days")).toBe(true);
    expect(optIns.length / members.size).toBeGreaterThan(0.15);
    expect(optIns.length / members.size).toBeLessThan(0.35);
    for (const optIn of optIns) {
      const nextDay = new Date(Date.parse(optIn.occurredAt) + 86_400_000).toISOString().slice(0, 10);
      const bought = purchases.some((e) => {
        const p = JSON.parse(e.entry.Detail ?? "");
        return p.memberId === optIn.memberId && String(p.occurredAt).slice(0, 10) === nextDay;
      });
      expect(bought).toBe(true);
    }
    expect(details.filter((d) => d.kind === "profile-completed").length).toBeGreaterThan(0);
  });

  it("sends nothing at rate 0", () => {
    expect(challengeEvents(purchases, { ...options, rate: 0 })).toEqual([]);
  });
});
