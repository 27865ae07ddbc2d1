import { describe, expect, it } from "vitest";
import { replayEvents } from "../../../scripts/replay/replay-events";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";

const END_DAY = "2026-11-01";
const rows = syntheticPurchaseLog({ members: 400, seed: 5, endDay: END_DAY });

describe("synthetic referrals in a replay", () => {
  it("has a share of new members enrol with a member who appeared before them, the same on every build", () => {
    const events = replayEvents(rows, { endDay: END_DAY, referralShare: 0.25 });
    const enrolments = events.filter((e) => e.entry.DetailType === "Member Enrolled");
    const referred = enrolments.filter((e) => e.referrerId !== undefined);
    expect(referred.length / enrolments.length).toBeGreaterThan(0.18);
    expect(referred.length / enrolments.length).toBeLessThan(0.32);
    const enrolledAt = new Map(enrolments.map((e) => [JSON.parse(e.entry.Detail ?? "{}").memberId, e.at]));
    for (const event of referred) {
      const memberId = JSON.parse(event.entry.Detail ?? "{}").memberId;
      expect(event.referrerId).not.toBe(memberId);
      expect(enrolledAt.get(event.referrerId)?.getTime()).toBeLessThanOrEqual(event.at.getTime());
    }
    const again = replayEvents(rows, { endDay: END_DAY, referralShare: 0.25 });
    expect(again.map((e) => e.referrerId)).toEqual(events.map((e) => e.referrerId));
  });

  it("refers no one by default", () => {
    expect(replayEvents(rows, { endDay: END_DAY }).some((e) => e.referrerId !== undefined)).toBe(false);
  });
});
