// The purchase path keeps the member's active months (state.activity); a full refund cancels its purchase's
// month when that was the month's only purchase; a partial refund leaves it.
import { describe, expect, it } from "vitest";
import { applyPurchase, applyRefund, type LedgerEntry, type MemberState } from "../../../domain";
import { activeIn } from "../../../domain/member/activity-months";
import { encodeState } from "../../../functions/adapters/dynamo/state-codec";
import { line, member, plainProgram, purchase } from "./fixtures";

const program = plainProgram();

function buy(state: MemberState, orderId: string, at: string) {
  const result = applyPurchase(state, program, purchase(orderId, at, [line("TEE", "apparel", 2000, 2)]), {
    now: at,
  });
  return { state: result.state, earn: result.entries.find((e) => e.kind === "earn") as LedgerEntry };
}

const refundOf = (earn: LedgerEntry, state: MemberState, quantity = 2) =>
  applyRefund(
    state,
    program,
    {
      sourceKey: `refund:${earn.entryId}`,
      refundId: `R-${earn.entryId}`,
      occurredAt: "2025-04-02T10:00:00Z",
      currency: "EUR",
      lines: [{ sku: "TEE", quantity }],
    },
    earn,
    [],
    { now: "2025-04-02T10:00:00Z" },
  ).state;

describe("activity months on the purchase path", () => {
  it("marks each month with a purchase", () => {
    const feb = buy(member(program), "O-1", "2025-02-10T10:00:00Z");
    const apr = buy(feb.state, "O-2", "2025-04-01T10:00:00Z");
    expect(apr.state.activity).toEqual({ month: "2025-04", active: 0b101, repeat: 0 });
    expect(activeIn(apr.state.activity, "2025-03")).toBe(false);
  });

  it("a full refund of the month's only purchase clears the month; a partial refund does not", () => {
    const feb = buy(member(program), "O-1", "2025-02-10T10:00:00Z");
    const apr = buy(feb.state, "O-2", "2025-04-01T10:00:00Z");
    expect(activeIn(refundOf(feb.earn, apr.state, 1).activity, "2025-02")).toBe(true);
    expect(activeIn(refundOf(feb.earn, apr.state).activity, "2025-02")).toBe(false);
  });

  it("a full refund in a month with another purchase keeps the month active", () => {
    const one = buy(member(program), "O-1", "2025-04-01T09:00:00Z");
    const two = buy(one.state, "O-2", "2025-04-01T11:00:00Z");
    expect(activeIn(refundOf(one.earn, two.state).activity, "2025-04")).toBe(true);
  });

  it("adds a few bytes to the encoded member item", () => {
    const { state } = buy(member(program), "O-1", "2025-02-10T10:00:00Z");
    const without = { ...state };
    delete without.activity;
    const added = encodeState(state).length - encodeState(without).length;
    console.info(`activity months add ${added} bytes to the encoded state`);
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(48);
  });
});
