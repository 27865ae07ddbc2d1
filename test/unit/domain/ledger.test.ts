import { describe, expect, it } from "vitest";
import {
  adjustPoints,
  applyInteraction,
  applyPurchase,
  expirePoints,
  expiringWithin,
  InsufficientPoints,
  type InteractionFacts,
  type MemberState,
  pendingBalance,
  RewardLimitReached,
  RewardUnavailable,
  redeemReward,
  releasePending,
  resolveMember,
  spendableBalance,
  UnknownMember,
} from "../../../domain";
import { line, member, plainProgram, purchase } from "./fixtures";

// No return window, 24-month validity: points earned on 10 March 2025 expire on 10 March 2027.
const program = plainProgram((i) => {
  i.earning.pendingDays = 0;
  i.rewards = [
    { rewardId: "mug", name: "Mug", pointsCost: 150 },
    { rewardId: "tote-bag", name: "Tote bag", pointsCost: 10, perMemberLimit: 1 },
    { rewardId: "retired", name: "Retired", pointsCost: 10, available: false },
    { rewardId: "summer", name: "Summer", pointsCost: 10, availableFrom: "2025-06-01T00:00:00Z" },
  ];
});
function withPoints(): MemberState {
  const a = applyPurchase(
    member(program),
    program,
    purchase("O-1", "2025-03-10T10:00:00Z", [line("T", "apparel", 10_000)]),
    {
      now: "2025-03-10T10:00:00Z",
    },
  );
  return applyPurchase(
    a.state,
    program,
    purchase("O-2", "2025-04-10T10:00:00Z", [line("T", "apparel", 10_000)]),
    {
      now: "2025-04-10T10:00:00Z",
    },
  ).state;
}

describe("lots and expiry", () => {
  it("two purchases on one day share one lot (merged by expiry day)", () => {
    const a = applyPurchase(
      member(program),
      program,
      purchase("O-1", "2025-03-10T08:00:00Z", [line("T", "apparel", 1000)]),
      {
        now: "2025-03-10T08:00:00Z",
      },
    );
    const b = applyPurchase(
      a.state,
      program,
      purchase("O-2", "2025-03-10T18:00:00Z", [line("T", "apparel", 2000)]),
      {
        now: "2025-03-10T18:00:00Z",
      },
    );
    expect(b.state.points.lots).toEqual([{ expiresOn: "2027-03-10", points: 30 }]);
  });

  it("100 points from 10 March 2025 expire on 10 March 2027 with one expire entry; 100 from April remain", () => {
    const state = withPoints();
    expect(expirePoints(state, program, "2027-03-09T23:59:59Z").entries).toEqual([]);
    const result = expirePoints(state, program, "2027-03-10T00:00:00Z");
    expect(result.entries).toEqual([
      {
        entryId: "expire:m-1:2027-03-10",
        memberId: "m-1",
        kind: "expire",
        points: -100,
        statusPoints: 0,
        reason: "100 points expired on 2027-03-10 (valid for 24 months)",
        ruleIds: ["expiry-24-months"],
        programVersion: 1,
        sourceKey: "expiry:m-1:2027-03-10",
        occurredAt: "2027-03-10T00:00:00.000Z",
        details: { type: "expiry", expiresOn: "2027-03-10" },
      },
    ]);
    expect(result.outbound[0]).toMatchObject({
      type: "Points Expired",
      detail: { points: 100, balance: 100 },
    });
    expect(spendableBalance(result.state)).toBe(100);
    expect(result.state.lifetime.pointsExpired).toBe(100);
  });

  it("expiringWithin(30 days) on 2027-02-20 reports the 100 points expiring on 2027-03-10", () => {
    expect(expiringWithin(withPoints(), 30, "2027-02-20T12:00:00Z")).toEqual({
      points: 100,
      lots: [{ expiresOn: "2027-03-10", points: 100 }],
    });
  });

  it("pending points become spendable on their release day", () => {
    const pending = plainProgram();
    const state = applyPurchase(
      member(pending),
      pending,
      purchase("O-1", "2025-03-10T10:00:00Z", [line("T", "apparel", 5000)]),
      {
        now: "2025-03-10T10:00:00Z",
      },
    ).state;
    expect(pendingBalance(releasePending(state, "2025-04-08T23:59:59Z"))).toBe(50);
    const released = releasePending(state, "2025-04-09T00:00:00Z");
    expect([pendingBalance(released), spendableBalance(released)]).toEqual([0, 50]);
  });
});

describe("redemption", () => {
  it("a 150-point mug uses the soonest-expiring lot first: 100 (Mar 2027) + 50 (Apr 2027)", () => {
    const result = redeemReward(withPoints(), program, "mug", {
      now: "2025-05-01T10:00:00Z",
      redemptionKey: "r-1",
    });
    expect(result.entries[0]).toMatchObject({
      entryId: "redeem:r-1",
      kind: "redeem",
      points: -150,
      reason: "Redeemed Mug for 150 points",
      details: {
        lotsUsed: [
          { expiresOn: "2027-03-10", points: 100 },
          { expiresOn: "2027-04-10", points: 50 },
        ],
      },
    });
    expect(result.state.points.lots).toEqual([{ expiresOn: "2027-04-10", points: 50 }]);
    expect(result.outbound[0]).toMatchObject({
      type: "Points Redeemed",
      detail: { rewardId: "mug", balance: 50 },
    });
  });

  it("fails with typed errors and leaves the state untouched", () => {
    const state = withPoints();
    const copy = structuredClone(state);
    const now = { now: "2025-05-01T10:00:00Z", redemptionKey: "r-1" };
    const twice = redeemReward(state, program, "tote-bag", now).state;
    expect(() => redeemReward(twice, program, "tote-bag", now)).toThrow(RewardLimitReached);
    expect(() => redeemReward(state, program, "retired", now)).toThrow(RewardUnavailable);
    expect(() => redeemReward(state, program, "summer", now)).toThrow(/available from/);
    expect(() => redeemReward(state, program, "nope", now)).toThrow(RewardUnavailable);
    const poor = redeemReward(state, program, "mug", now).state;
    expect(() => redeemReward(poor, program, "mug", now)).toThrow(new InsufficientPoints(150, 50));
    expect(state).toEqual(copy);
  });
});

describe("interactions", () => {
  const interactive = plainProgram();
  const interaction = (id: string, kind: string, occurredAt: string): InteractionFacts => ({
    sourceKey: `interaction:${id}`,
    interactionId: id,
    kind,
    occurredAt,
  });
  function run(kind: string, dates: string[]) {
    let state = member(interactive);
    return dates.map((at, n) => {
      const result = applyInteraction(state, interactive, interaction(`i-${n}`, kind, at), { now: at });
      state = result.state;
      return result;
    });
  }

  it("a review earns 25 spendable points at once", () => {
    const [result] = run("review-written", ["2025-03-01T10:00:00Z"]);
    expect(result?.entries).toEqual([
      expect.objectContaining({
        entryId: "interaction:interaction:i-0",
        kind: "interaction",
        points: 25,
        reason: "Review written: 25 points",
        ruleIds: ["review-points"],
      }),
    ]);
    expect(spendableBalance(result?.state as MemberState)).toBe(25);
  });

  it("reviews are capped at 3 a month: the 4th in March earns nothing, April starts afresh", () => {
    const results = run(
      "review-written",
      ["01", "02", "03", "04"].map((d) => `2025-03-${d}T10:00:00Z`).concat("2025-04-01T10:00:00Z"),
    );
    expect(results.map((r) => r.entries.length)).toEqual([1, 1, 1, 0, 1]);
    // March's counter stays while the 30-day late window can still bring a March review.
    expect(results[4]?.state.interactions).toEqual([
      { kind: "review-written", period: "month", periodKey: "2025-03", count: 3, points: 75 },
      { kind: "review-written", period: "month", periodKey: "2025-04", count: 1, points: 25 },
    ]);
  });

  it("surveys are capped at 40 points a month: 20 + 20, then nothing", () => {
    const results = run("survey-answered", [
      "2025-03-01T10:00:00Z",
      "2025-03-02T10:00:00Z",
      "2025-03-03T10:00:00Z",
    ]);
    expect(results.map((r) => r.entries[0]?.points ?? 0)).toEqual([20, 20, 0]);
  });

  it("a resolved complaint gives 150 goodwill points once a year; unknown kinds give nothing", () => {
    const results = run("complaint-resolved", ["2025-03-01T10:00:00Z", "2025-06-01T10:00:00Z"]);
    expect(results.map((r) => r.entries[0]?.points ?? 0)).toEqual([150, 0]);
    expect(run("newsletter-clicked", ["2025-03-01T10:00:00Z"])[0]?.entries).toEqual([]);
  });
});

describe("adjustments and membership", () => {
  it("credits and debits with the actor in the reason; a debit cannot overdraw", () => {
    const now = "2025-05-01T10:00:00Z";
    const credit = adjustPoints(
      member(program),
      program,
      { amount: 40, reason: "Late delivery", actor: "cs-17", adjustmentKey: "adj-1" },
      now,
    );
    expect(credit.entries[0]).toMatchObject({
      entryId: "adjust:adj-1",
      kind: "adjust",
      points: 40,
      reason: "Adjustment by cs-17: Late delivery",
      ruleIds: ["manual-adjustment"],
    });
    const debit = adjustPoints(
      credit.state,
      program,
      { amount: -15, reason: "Duplicate credit", actor: "cs-17", adjustmentKey: "adj-2" },
      now,
    );
    expect(spendableBalance(debit.state)).toBe(25);
    expect(() =>
      adjustPoints(
        debit.state,
        program,
        { amount: -26, reason: "x", actor: "cs-17", adjustmentKey: "adj-3" },
        now,
      ),
    ).toThrow(InsufficientPoints);
  });

  it("unknown members are enrolled or rejected as the program says", () => {
    expect(resolveMember(undefined, "m-9", program, "2025-05-01T10:00:00Z")).toMatchObject({
      memberId: "m-9",
      tier: { tierId: "silver", reviewOn: "2026-05-01" },
    });
    const strict = plainProgram((i) => {
      i.membership.unknownMemberPolicy = "reject";
    });
    expect(() => resolveMember(undefined, "m-9", strict, "2025-05-01T10:00:00Z")).toThrow(UnknownMember);
  });
});
