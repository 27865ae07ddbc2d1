import { describe, expect, it } from "vitest";
import { applyPurchase, type MemberState, type Program, tierStatus } from "../../../domain";
import { line, member, plainProgram, purchase } from "./fixtures";

// `toKeep` counts only the months the next review will judge. Right after an upgrade that is often 0 — the
// upgrade month falls outside the review's window — so the status says which days count, what is still
// needed and by when, in figures and in words.

let orders = 0;
const spend = (program: Program, state: MemberState, euros: number, at: string) =>
  applyPurchase(state, program, purchase(`O-${++orders}`, at, [line("TEE", "apparel", euros * 100)]), {
    now: at,
  }).state;

describe("what keeps the tier, explained", () => {
  const program = plainProgram();

  it("right after an upgrade: 0 so far, because only April 2025 – 19 March 2026 count for the review", () => {
    const gold = spend(program, member(program), 1000, "2025-03-20T10:00:00Z");
    expect(tierStatus(gold, program, "2025-03-21T08:00:00Z").toKeep).toEqual({
      metric: "statusPoints",
      required: 1000,
      current: 0,
      remaining: 1000,
      countsFrom: "2025-04-01",
      countsUntil: "2026-03-19",
      explanation:
        "To keep Gold at its review on 2026-03-20 you need 1000 status points from 2025-04-01 to 2026-03-19: " +
        "0 status points so far, 1000 status points to go. Only that window counts: what reached Gold before " +
        "2025-04-01 does not keep it.",
    });
  });

  it("says when the window already holds enough", () => {
    const gold = spend(program, member(program), 1000, "2025-03-20T10:00:00Z");
    const kept = spend(program, gold, 1100, "2025-05-02T10:00:00Z");
    const toKeep = tierStatus(kept, program, "2025-05-03T08:00:00Z").toKeep;
    expect(toKeep).toMatchObject({ current: 1100, remaining: 0 });
    expect(toKeep.explanation).toBe(
      "Gold is kept at its review on 2026-03-20: 1100 status points from 2025-04-01 to 2026-03-19, " +
        "1000 status points needed.",
    );
  });

  it("the lowest tier needs nothing", () => {
    const toKeep = tierStatus(member(program), program, "2025-03-21T08:00:00Z").toKeep;
    expect(toKeep).toMatchObject({ required: 0, remaining: 0 });
    expect(toKeep.explanation).toBe("Silver is the starting tier: nothing is needed to keep it.");
  });

  it("calendar-year qualification on spend: the year under review, amounts in the program's currency", () => {
    const yearly = plainProgram((input) => {
      input.tierQualification.metric = "qualifyingSpend";
      input.tierQualification.window = { type: "calendarYear" };
      input.tiers = input.tiers.map((tier) => ({ ...tier, threshold: tier.threshold * 100 }));
    });
    const gold = spend(yearly, member(yearly), 700, "2025-03-20T10:00:00Z");
    const toKeep = tierStatus(gold, yearly, "2025-03-21T08:00:00Z").toKeep;
    expect(gold.tier.tierId).toBe("silver");
    const goldNow = spend(yearly, gold, 300, "2025-03-22T10:00:00Z");
    expect(tierStatus(goldNow, yearly, "2025-03-23T08:00:00Z").toKeep).toMatchObject({
      metric: "qualifyingSpend",
      required: 100_000,
      current: 100_000,
      remaining: 0,
      countsFrom: "2025-01-01",
      countsUntil: "2025-12-31",
      explanation:
        "Gold is kept at its review on 2026-01-01: EUR 1000.00 of qualifying spend from 2025-01-01 to " +
        "2025-12-31, EUR 1000.00 of qualifying spend needed.",
    });
    expect(toKeep.required).toBe(0);
  });
});
