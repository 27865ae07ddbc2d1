import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  applyRefund,
  enrolMember,
  type LedgerEntry,
  type MemberState,
  type Program,
  settleMember,
  spendableBalance,
} from "../../../domain";
import {
  applyReferrerReward,
  decideReferralLink,
  limitPeriodKey,
  withReferralCheck,
} from "../../../domain/member/referral";
import { line, plainProgram, purchase } from "./fixtures";

// 10 pending days; a first purchase of EUR 20 or more qualifies; 300 points to the referrer (at most 2 a
// month), 100 to the new member.
const program = plainProgram((input) => {
  input.earning.pendingDays = 10;
  input.referrals = {
    ruleId: "refer-a-friend",
    referrerReward: { points: 300 },
    refereeReward: { points: 100 },
    minSpendMinor: 2000,
    limit: { rewards: 2, per: "month" },
  };
});
const ENROLLED = "2025-03-01T09:00:00Z";

function referee(id = "friend", p: Program = program): MemberState {
  const decision = decideReferralLink({
    program: p,
    refereeId: id,
    referrerId: "sharer",
    sameEmail: false,
    refereeIsNew: true,
    at: ENROLLED,
  });
  if (!("link" in decision)) throw new Error("expected a link");
  return enrolMember(id, ENROLLED, p, { referredBy: decision.link }).state;
}
const buy = (orderId: string, at: string, minor: number) =>
  purchase(orderId, at, [line(`SKU-${orderId}`, "grocery", minor)]);

describe("linking a new member to a referral code's owner", () => {
  const base = { program, refereeId: "friend", sameEmail: false, refereeIsNew: true, at: ENROLLED };
  it("links a new member to another member", () => {
    expect(decideReferralLink({ ...base, referrerId: "sharer" })).toEqual({
      link: { referrerId: "sharer", linkedAt: "2025-03-01T09:00:00.000Z", status: "awaiting-purchase" },
    });
  });
  it.each([
    ["self-referral", { referrerId: "friend" }],
    ["self-referral", { referrerId: "sharer", sameEmail: true }],
    ["not-new", { referrerId: "sharer", refereeIsNew: false }],
    ["unknown-code", { referrerId: undefined }],
    ["referrals-off", { referrerId: "sharer", program: plainProgram((i) => delete i.referrals) }],
  ] as const)("declines: %s", (reason, input) => {
    expect(decideReferralLink({ ...base, ...input })).toEqual({ declined: reason });
  });
});

describe("the referee's side", () => {
  it("a kept qualifying purchase completes on the day its points become spendable, once", () => {
    const bought = applyPurchase(referee(), program, buy("O-1", "2025-03-05T12:00:00Z", 2500), {
      now: "2025-03-05T12:00:01Z",
    });
    expect(bought.state.referral?.referredBy).toMatchObject({ status: "qualifying" });
    expect(withReferralCheck(bought.state, "2025-06-01", "2025-03-05")).toBe("2025-03-15");
    expect(settleMember(bought.state, program, "2025-03-14T23:59:59Z").entries).toEqual([]);

    const cleared = settleMember(bought.state, program, "2025-03-15T00:00:00Z");
    expect(cleared.entries).toHaveLength(1);
    expect(cleared.entries[0]).toMatchObject({
      entryId: "referral:friend:referee",
      kind: "referral",
      points: 100,
      sourceKey: "referral:friend",
      occurredAt: "2025-03-15T00:00:00.000Z",
      ruleIds: ["refer-a-friend"],
    });
    expect(cleared.entries[0]?.reason).toContain("member sharer's code and order O-1 was kept: 100 points");
    expect(spendableBalance(cleared.state)).toBe(25 + 100);
    expect(cleared.outbound.map((e) => e.type)).toEqual(["Points Earned", "Referral Completed"]);
    expect(cleared.outbound[1]?.detail).toMatchObject({
      memberId: "friend",
      referrerId: "sharer",
      orderId: "O-1",
    });
    expect(settleMember(cleared.state, program, "2025-04-15T00:00:00Z").entries).toEqual([]);
  });

  it("a purchase below the minimum does not qualify; the next one that reaches it does", () => {
    const small = applyPurchase(referee(), program, buy("O-1", "2025-03-05T12:00:00Z", 1999), {
      now: "2025-03-05T12:00:01Z",
    });
    expect(small.state.referral?.referredBy?.status).toBe("awaiting-purchase");
    const big = applyPurchase(small.state, program, buy("O-2", "2025-03-06T12:00:00Z", 2000), {
      now: "2025-03-06T12:00:01Z",
    });
    expect(big.state.referral?.referredBy?.purchase).toMatchObject({
      orderId: "O-2",
      availableOn: "2025-03-16",
    });
  });

  it("a refunded qualifying purchase earns nothing; a later kept one completes", () => {
    const bought = applyPurchase(referee(), program, buy("O-1", "2025-03-05T12:00:00Z", 2500), {
      now: "2025-03-05T12:00:01Z",
    });
    const earn = bought.entries.find((e) => e.kind === "earn") as LedgerEntry;
    const refund = {
      sourceKey: "refund:R-1",
      refundId: "R-1",
      occurredAt: "2025-03-08T10:00:00Z",
      currency: "EUR",
    };
    const refunded = applyRefund(bought.state, program, { ...refund, amountMinor: 2500 }, earn, [], {
      now: "2025-03-08T10:00:01Z",
    });
    expect(refunded.state.referral?.referredBy).toEqual({
      referrerId: "sharer",
      linkedAt: "2025-03-01T09:00:00.000Z",
      status: "awaiting-purchase",
    });
    expect(settleMember(refunded.state, program, "2025-03-20T00:00:00Z").entries).toEqual([]);
    const kept = applyPurchase(refunded.state, program, buy("O-2", "2025-03-20T12:00:00Z", 3000), {
      now: "2025-03-20T12:00:01Z",
    });
    const cleared = settleMember(kept.state, program, "2025-03-30T00:00:00Z");
    expect(cleared.entries.map((e) => [e.entryId, e.points])).toEqual([["referral:friend:referee", 100]]);
  });

  it("a partial refund that keeps the order at the minimum still qualifies; one below it does not", () => {
    const bought = applyPurchase(referee(), program, buy("O-1", "2025-03-05T12:00:00Z", 2500), {
      now: "2025-03-05T12:00:01Z",
    });
    const earn = bought.entries.find((e) => e.kind === "earn") as LedgerEntry;
    const refund = (id: string, amountMinor: number) => ({
      sourceKey: `refund:${id}`,
      refundId: id,
      occurredAt: "2025-03-08T10:00:00Z",
      currency: "EUR",
      amountMinor,
    });
    const first = applyRefund(bought.state, program, refund("R-1", 500), earn, [], {
      now: "2025-03-08T10:00:01Z",
    });
    expect(first.state.referral?.referredBy?.purchase?.netMinor).toBe(2000);
    const second = applyRefund(first.state, program, refund("R-2", 1), earn, first.entries, {
      now: "2025-03-08T10:00:02Z",
    });
    expect(second.state.referral?.referredBy?.status).toBe("awaiting-purchase");
  });

  it("a refund after the purchase cleared takes nothing back from the referral", () => {
    const bought = applyPurchase(referee(), program, buy("O-1", "2025-03-05T12:00:00Z", 2500), {
      now: "2025-03-05T12:00:01Z",
    });
    const earn = bought.entries.find((e) => e.kind === "earn") as LedgerEntry;
    const late = {
      sourceKey: "refund:R-1",
      refundId: "R-1",
      occurredAt: "2025-03-16T10:00:00Z",
      currency: "EUR",
    };
    const refunded = applyRefund(bought.state, program, { ...late, amountMinor: 2500 }, earn, [], {
      now: "2025-03-16T10:00:01Z",
    });
    expect(refunded.entries.map((e) => e.entryId)).toContain("referral:friend:referee");
    expect(refunded.state.referral?.referredBy?.status).toBe("completed");
  });

  it("without a pending period the qualifying purchase completes the referral in its own commit", () => {
    const instant = plainProgram((input) => {
      input.earning.pendingDays = 0;
      input.referrals = {
        ...program.referrals,
        refereeReward: { rewardId: "free-coffee" },
      } as typeof input.referrals;
    });
    const bought = applyPurchase(
      referee("friend", instant),
      instant,
      buy("O-1", "2025-03-05T12:00:00Z", 2500),
      {
        now: "2025-03-05T12:00:01Z",
      },
    );
    const referral = bought.entries.find((e) => e.kind === "referral");
    expect(referral).toMatchObject({ points: 0, details: { rewardId: "free-coffee", role: "referee" } });
    expect(bought.state.rewards.unlocked).toEqual([{ rewardId: "free-coffee", count: 1 }]);
    expect(bought.outbound.map((e) => e.type)).toContain("Reward Unlocked");
    expect(bought.outbound.map((e) => e.type)).toContain("Referral Completed");
  });

  it("keeps the hashes of the latest 3 payment methods, newest first, only while referrals are on", () => {
    let state = referee();
    for (const [i, key] of ["k1", "k2", "k1", "k3", "k4"].entries())
      state = applyPurchase(
        state,
        program,
        { ...buy(`O-${i}`, "2025-03-05T12:00:00Z", 500), paymentKey: key },
        {
          now: "2025-03-05T12:00:01Z",
        },
      ).state;
    expect(state.referral?.paymentKeys).toEqual(["k4", "k3", "k1"]);
    const off = plainProgram((input) => delete input.referrals);
    const plain = applyPurchase(
      enrolMember("x", ENROLLED, off).state,
      off,
      {
        ...buy("O-9", "2025-03-05T12:00:00Z", 500),
        paymentKey: "k1",
      },
      { now: "2025-03-05T12:00:01Z" },
    );
    expect(plain.state.referral).toBeUndefined();
  });

  it("a purchase paid with the referrer's payment method does not qualify", () => {
    const facts = { ...buy("O-1", "2025-03-05T12:00:00Z", 2500), sharesReferrerPayment: true };
    const bought = applyPurchase(referee(), program, facts, { now: "2025-03-05T12:00:01Z" });
    expect(bought.state.referral?.referredBy?.status).toBe("awaiting-purchase");
  });
});

describe("the referrer's side", () => {
  const sharer = enrolMember("sharer", "2025-01-01T00:00:00Z", program).state;
  const completed = (refereeId: string) => ({
    refereeId,
    orderId: `O-${refereeId}`,
    completedAt: "2025-03-15T00:00:00Z",
  });

  it("gives the reward up to the limit per period, then a 0-point entry that says why", () => {
    let state = sharer;
    const points: number[] = [];
    for (const [refereeId, now] of [
      ["a", "2025-03-15T01:00:00Z"],
      ["b", "2025-03-20T01:00:00Z"],
      ["c", "2025-03-31T23:00:00Z"],
      ["d", "2025-04-01T00:00:00Z"],
    ] as const) {
      const result = applyReferrerReward(state, program, completed(refereeId), now);
      state = result.state;
      const entry = result.entries[0] as LedgerEntry;
      expect(entry.entryId).toBe(`referral:${refereeId}:referrer`);
      points.push(entry.points);
      if (refereeId === "c") {
        expect(entry.reason).toContain("no reward: limit of 2 referral rewards per month reached");
        expect(result.outbound).toEqual([]);
      }
    }
    expect(points).toEqual([300, 300, 0, 300]);
    expect(state.referral?.asReferrer).toEqual({ completed: 4, periodKey: "2025-04", rewarded: 1 });
    expect(spendableBalance(state)).toBe(900);
  });

  it("counts a reward dated by a clock behind the period already open in that later period", () => {
    const april = applyReferrerReward(sharer, program, completed("a"), "2025-04-01T00:00:01Z").state;
    const skewed = applyReferrerReward(april, program, completed("b"), "2025-03-31T23:59:59Z").state;
    expect(skewed.referral?.asReferrer).toMatchObject({ periodKey: "2025-04", rewarded: 2 });
  });

  it("names the limit's periods", () => {
    expect(limitPeriodKey("month", "2025-05-31")).toBe("2025-05");
    expect(limitPeriodKey("quarter", "2025-05-31")).toBe("2025-Q2");
    expect(limitPeriodKey("quarter", "2025-12-01")).toBe("2025-Q4");
    expect(limitPeriodKey("year", "2025-05-31")).toBe("2025");
  });
});
