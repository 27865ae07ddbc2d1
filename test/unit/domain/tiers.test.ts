import { describe, expect, it } from "vitest";
import { applyPurchase, type MemberState, type Program, reviewTier, tierStatus } from "../../../domain";
import { line, member, plainProgram, purchase } from "./fixtures";

const MARCH = "2025-03-10T10:00:00Z";
let orders = 0;
const spend = (program: Program, state: MemberState, euros: number, at: string) =>
  applyPurchase(state, program, purchase(`O-${++orders}`, at, [line("TEE", "apparel", euros * 100)]), {
    now: at,
  });

describe("upgrades (rolling 12 months, Gold 1000 / Platinum 3000 status points)", () => {
  const program = plainProgram();

  it("upgrades as soon as the threshold is crossed: 600 + 400 status points = 1000 → Gold", () => {
    const first = spend(program, member(program), 600, MARCH);
    expect(first.state.tier.tierId).toBe("silver");
    const second = spend(program, first.state, 400, "2025-03-20T10:00:00Z");
    expect(second.state.tier).toEqual({
      tierId: "gold",
      since: "2025-03-20T10:00:00Z",
      reviewOn: "2026-03-20",
    });
    expect(second.outbound).toContainEqual({
      type: "Tier Changed",
      detail: expect.objectContaining({
        fromTier: "silver",
        toTier: "gold",
        direction: "up",
        ruleIds: ["status-12-months"],
        reason: "Reached Gold: 1000 status points ≥ 1000",
      }),
    });
  });

  it("can jump two tiers at once: 3000 status points → Platinum", () => {
    const result = spend(program, member(program), 3000, MARCH);
    expect(result.state.tier.tierId).toBe("platinum");
    expect(result.outbound.filter((e) => e.type === "Tier Changed")).toHaveLength(1);
  });

  it("Gold earns ×1.25: EUR 100 = 125 points, while status points stay 100", () => {
    const gold = spend(program, member(program), 1000, MARCH).state;
    const result = spend(program, gold, 100, "2025-03-11T10:00:00Z");
    expect(result.entries[0]).toMatchObject({
      pendingPoints: 125,
      statusPoints: 100,
      ruleIds: ["base-earn", "tier-gold"],
    });
  });

  it("tierStatus tells what keeps the tier, until when, and the distance to the next", () => {
    const gold = spend(program, member(program), 1200, MARCH).state;
    const later = spend(program, gold, 300, "2025-04-05T10:00:00Z").state;
    // The review on 2026-03-10 judges April 2025 – March 2026, so only the April 300 count towards keeping
    // Gold; the current 12 months (1200 + 300) count towards Platinum: 3000 − 1500 = 1500 to go.
    expect(tierStatus(later, program, "2025-04-10T00:00:00Z")).toEqual({
      tierId: "gold",
      tierName: "Gold",
      since: MARCH,
      keepsUntil: "2026-03-10",
      inGrace: false,
      perks: ["Birthday treat", "Free alterations"],
      toKeep: {
        metric: "statusPoints",
        required: 1000,
        current: 300,
        remaining: 700,
        countsFrom: "2025-04-01",
        countsUntil: "2026-03-09",
        explanation:
          "To keep Gold at its review on 2026-03-10 you need 1000 status points from 2025-04-01 to 2026-03-09: " +
          "300 status points so far, 700 status points to go. Only that window counts: what reached Gold " +
          "before 2025-04-01 does not keep it.",
      },
      nextTier: { tierId: "platinum", tierName: "Platinum", threshold: 3000, remaining: 1500 },
    });
  });
});

describe("reviews", () => {
  const noGrace = plainProgram((i) => {
    i.tierQualification.gracePeriodDays = 0;
  });
  const withGrace = plainProgram();

  it("keeps Gold at review when the last 12 months hold ≥ 1000 (1000 bought in Dec 2025)", () => {
    const gold = spend(noGrace, member(noGrace), 1000, MARCH).state;
    const requalified = spend(noGrace, gold, 1000, "2025-12-01T10:00:00Z").state;
    const reviewed = reviewTier(requalified, noGrace, "2026-03-10T00:00:00Z");
    expect(reviewed.state.tier).toMatchObject({ tierId: "gold", reviewOn: "2027-03-10" });
    expect(reviewed.outbound).toEqual([]);
  });

  it("nothing changes before the review date, even with 0 status points", () => {
    const gold = spend(noGrace, member(noGrace), 1000, MARCH).state;
    expect(reviewTier(gold, noGrace, "2026-03-09T23:59:59Z").state.tier.tierId).toBe("gold");
  });

  it("downgrades at most one tier per review (soft landing): Platinum → Gold, a year later → Silver", () => {
    const platinum = spend(noGrace, member(noGrace), 3000, MARCH).state;
    const first = reviewTier(platinum, noGrace, "2026-03-10T00:00:00Z");
    expect(first.state.tier).toEqual({
      tierId: "gold",
      since: "2026-03-10T00:00:00.000Z",
      reviewOn: "2027-03-10",
    });
    expect(first.outbound[0]).toMatchObject({
      type: "Tier Changed",
      detail: {
        fromTier: "platinum",
        toTier: "gold",
        direction: "down",
        sourceKey: "tier-review:m-1:2026-03-10",
      },
    });
    // Two overdue reviews are still two one-tier steps.
    expect(reviewTier(platinum, noGrace, "2027-03-10T00:00:00Z").state.tier.tierId).toBe("silver");
  });

  it("grace: a missed review keeps Gold for 30 more days, then drops one tier", () => {
    const gold = spend(withGrace, member(withGrace), 1000, MARCH).state;
    const missed = reviewTier(gold, withGrace, "2026-03-10T00:00:00Z").state;
    expect(missed.tier).toMatchObject({ tierId: "gold", graceUntil: "2026-04-09" });
    expect(tierStatus(missed, withGrace, "2026-03-15T00:00:00Z")).toMatchObject({
      inGrace: true,
      keepsUntil: "2026-04-09",
    });
    const dropped = reviewTier(missed, withGrace, "2026-04-09T00:00:00Z");
    expect(dropped.state.tier).toEqual({
      tierId: "silver",
      since: "2026-04-09T00:00:00.000Z",
      reviewOn: "2027-03-10",
    });
    expect(dropped.outbound[0]?.detail.reason).toContain("after a 30-day grace period");
  });

  it("grace: requalifying during grace (1000 on 20 March) keeps Gold until the next full cycle", () => {
    const gold = spend(withGrace, member(withGrace), 1000, MARCH).state;
    const missed = reviewTier(gold, withGrace, "2026-03-10T00:00:00Z").state;
    const requalified = spend(withGrace, missed, 1000, "2026-03-20T10:00:00Z").state;
    expect(requalified.tier).toEqual({ tierId: "gold", since: MARCH, reviewOn: "2027-03-10" });
    expect(reviewTier(requalified, withGrace, "2026-04-09T00:00:00Z").state.tier.tierId).toBe("gold");
  });

  it("calendar year: Gold reached in May 2025 is kept through 2026 and reviewed on 1 January 2027", () => {
    const yearly = plainProgram((i) => {
      i.tierQualification.window = { type: "calendarYear" };
      i.tierQualification.gracePeriodDays = 0;
    });
    const gold = spend(yearly, member(yearly), 1000, "2025-05-01T10:00:00Z").state;
    expect(gold.tier.reviewOn).toBe("2026-01-01");
    const kept = reviewTier(gold, yearly, "2026-01-01T00:00:00Z").state;
    expect(kept.tier).toMatchObject({ tierId: "gold", reviewOn: "2027-01-01" });
    expect(reviewTier(kept, yearly, "2027-01-01T00:00:00Z").state.tier.tierId).toBe("silver");
  });

  it("qualifying spend: thresholds in minor units (Gold at EUR 500 = 50 000 cents)", () => {
    const bySpend = plainProgram((i) => {
      i.tierQualification.metric = "qualifyingSpend";
      i.tiers = [
        { id: "silver", name: "Silver", threshold: 0 },
        { id: "gold", name: "Gold", threshold: 50_000 },
      ];
    });
    const almost = spend(bySpend, member(bySpend), 499, MARCH);
    expect(almost.state.tier.tierId).toBe("silver");
    expect(tierStatus(almost.state, bySpend, MARCH).nextTier?.remaining).toBe(100);
    expect(spend(bySpend, almost.state, 1, MARCH).state.tier.tierId).toBe("gold");
  });
});
