import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  applyRefund,
  type LedgerEntry,
  type Program,
  pendingBalance,
  type RefundFacts,
  redeemReward,
  spendableBalance,
  tierStatus,
} from "../../../domain";
import { line, member, plainProgram, purchase } from "./fixtures";

const MARCH = "2025-03-10T10:00:00+01:00";
const LATER = "2025-03-12T10:00:00+01:00";
// 3 tees at EUR 20 (60 points) + a cap at EUR 30 (30 points) = 90 points.
const order = purchase("O-1", MARCH, [line("TEE", "apparel", 2000, 3), line("CAP", "accessories", 3000)]);
const refund = (id: string, body: Partial<RefundFacts>): RefundFacts => ({
  sourceKey: `refund:${id}`,
  refundId: id,
  occurredAt: LATER,
  currency: "EUR",
  ...body,
});

function bought(program: Program, now = MARCH) {
  const result = applyPurchase(member(program), program, order, { now });
  const earn = result.entries.find((e) => e.kind === "earn") as LedgerEntry;
  return { state: result.state, earn, bonusPoints: result.entries.filter((e) => e.kind === "bonus") };
}

describe("refunds within the return window", () => {
  const program = plainProgram();

  it("returning 1 of 3 tees reverses 60 × 1/3 = 20 pending points and 20 status points", () => {
    const { state, earn } = bought(program);
    const result = applyRefund(
      state,
      program,
      refund("R-1", { lines: [{ sku: "TEE", quantity: 1 }] }),
      earn,
      [],
      {
        now: LATER,
      },
    );
    const [entry] = result.entries;
    expect(entry).toMatchObject({
      entryId: "reverse:purchase:retail.pos:O-1:refund:R-1",
      kind: "reverse",
      points: 0,
      pendingPoints: -20,
      statusPoints: -20,
      ruleIds: ["refund-reversal", "base-earn"],
      sourceKey: "refund:R-1",
    });
    expect(entry?.reason).toBe("Refund on order O-1 (2000 of 9000 EUR minor units): 20 points reversed");
    expect(pendingBalance(result.state)).toBe(70);
    expect(result.outbound[0]).toMatchObject({ type: "Points Reversed", detail: { points: 20, balance: 0 } });
  });

  it("a EUR 30 refund by amount on a EUR 90 order reverses 1/3: 20 + 10 = 30 points", () => {
    const { state, earn } = bought(program);
    const result = applyRefund(state, program, refund("R-1", { amountMinor: 3000 }), earn, [], {
      now: LATER,
    });
    expect(result.entries[0]).toMatchObject({ pendingPoints: -30, statusPoints: -30 });
    expect(pendingBalance(result.state)).toBe(60);
  });

  it("refunds add up: 1 tee, then the rest, reverse exactly 90 points and restore the member", () => {
    const { state, earn } = bought(program);
    const first = applyRefund(
      state,
      program,
      refund("R-1", { lines: [{ sku: "TEE", quantity: 1 }] }),
      earn,
      [],
      {
        now: LATER,
      },
    );
    const rest = applyRefund(
      first.state,
      program,
      refund("R-2", { amountMinor: 7000 }),
      earn,
      first.entries,
      {
        now: LATER,
      },
    );
    expect(rest.entries[0]).toMatchObject({ pendingPoints: -70, statusPoints: -70 });
    expect(rest.entries[0]?.details).toMatchObject({ fullyRefunded: true });
    expect(pendingBalance(rest.state)).toBe(0);
    expect(tierStatus(rest.state, program, LATER).nextTier?.remaining).toBe(1000);
  });

  it("a full refund also reverses the order's welcome bonus (90 + 100 = 190 points)", () => {
    const withBonus = plainProgram((i) => {
      i.earning.firstPurchaseBonus = { ruleId: "welcome-bonus", points: 100 };
    });
    const { state, earn } = bought(withBonus);
    expect(pendingBalance(state)).toBe(190);
    const result = applyRefund(state, withBonus, refund("R-1", { amountMinor: 9000 }), earn, [], {
      now: LATER,
    });
    expect(result.entries[0]).toMatchObject({
      pendingPoints: -190,
      ruleIds: ["refund-reversal", "base-earn", "welcome-bonus"],
    });
    expect(pendingBalance(result.state)).toBe(0);
  });

  it("rejects refunding more than was bought, naming the field", () => {
    const { state, earn } = bought(program);
    const tooMany = refund("R-1", { lines: [{ sku: "TEE", quantity: 4 }] });
    expect(() => applyRefund(state, program, tooMany, earn, [], { now: LATER })).toThrow(
      /^lines\[0\]\.quantity/,
    );
    const unknown = refund("R-1", { lines: [{ sku: "SOCK", quantity: 1 }] });
    expect(() => applyRefund(state, program, unknown, earn, [], { now: LATER })).toThrow(/^lines\[0\]\.sku/);
    const tooMuch = refund("R-1", { amountMinor: 9001 });
    expect(() => applyRefund(state, program, tooMuch, earn, [], { now: LATER })).toThrow(/^amountMinor/);
  });

  it("rejects a refund in another currency than the order's, changing nothing", () => {
    const { state, earn } = bought(program);
    const yen = refund("R-1", { amountMinor: 5000, currency: "JPY" });
    const before = structuredClone(state);
    expect(() => applyRefund(state, program, yen, earn, [], { now: LATER })).toThrow(/^currency: must be/);
    expect(state).toEqual(before);
  });
});

describe("refunds after the points were spent", () => {
  const spentScenario = (policy: "claw-back" | "allow-negative") => {
    // No return window, so the 90 points are spendable at once; a 50-point reward leaves 40.
    const program = plainProgram((i) => {
      i.earning.pendingDays = 0;
      i.refunds = { ruleId: "refund-reversal", whenPointsSpent: policy };
      i.rewards = [{ rewardId: "mug", name: "Mug", pointsCost: 50 }];
    });
    const { state, earn } = bought(program);
    const spent = redeemReward(state, program, "mug", { now: MARCH, redemptionKey: "redeem-1" });
    expect(spendableBalance(spent.state)).toBe(40);
    const result = applyRefund(spent.state, program, refund("R-1", { amountMinor: 9000 }), earn, [], {
      now: LATER,
    });
    return { program, result };
  };

  it("claw-back takes the 40 left and records a 50-point shortfall; the balance stays at 0", () => {
    const { result } = spentScenario("claw-back");
    expect(result.entries[0]).toMatchObject({ points: -40, statusPoints: -90 });
    expect(result.entries[0]?.details).toMatchObject({ fromSpendable: 40, shortfall: 50, addedDebt: 0 });
    expect(result.entries[0]?.reason).toContain("50 already spent and not recovered");
    expect(spendableBalance(result.state)).toBe(0);
  });

  it("allow-negative takes 90 (balance 40 − 90 = −50), and the next 60 points repay it (balance 10)", () => {
    const { program, result } = spentScenario("allow-negative");
    expect(result.entries[0]).toMatchObject({ points: -90 });
    expect(spendableBalance(result.state)).toBe(-50);
    const next = applyPurchase(
      result.state,
      program,
      purchase("O-2", LATER, [line("TEE", "apparel", 6000)]),
      {
        now: LATER,
      },
    );
    expect(spendableBalance(next.state)).toBe(10);
    expect(next.state.points.debt).toBe(0);
  });
});
