import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  applyRefund,
  enrolMember,
  type LedgerEntry,
  type MemberState,
  type OutboundEvent,
  settleMember,
} from "../../../domain";
import {
  applyReferrerReward,
  decideReferralLink,
  limitPeriodKey,
  referralSourceKey,
} from "../../../domain/member/referral";
import { addDays, utcDay } from "../../../domain/time";
import { line, plainProgram, purchase } from "./fixtures";

// Any interleaving of enrolments (with the code), purchases, refunds, the passing of time and the delivery of
// Referral Completed events (in any order, redelivered) never rewards beyond the limits: one reward per referee
// ever, none for a purchase refunded below the minimum before it cleared, at most `limit.rewards` referrer
// rewards per period, and each referral's referrer entry at most once. The business-key record the store keeps
// (KEY#referral:<referee>) is modelled by a set, as member-change.ts's commit enforces it.

const LIMIT = 1;
const MIN_SPEND = 2000;
const program = plainProgram((input) => {
  input.earning.pendingDays = 5;
  input.referrals = {
    ruleId: "refer-a-friend",
    referrerReward: { points: 300 },
    refereeReward: { points: 100 },
    minSpendMinor: MIN_SPEND,
    limit: { rewards: LIMIT, per: "month" },
  };
});

const REFEREES = ["r0", "r1", "r2", "r3", "r4"];
type Op =
  | { kind: "enrol"; who: number }
  | { kind: "buy"; who: number; minor: number }
  | { kind: "refund"; who: number; share: number }
  | { kind: "wait"; hours: number }
  | { kind: "deliver"; pick: number; keep: boolean };

const who = fc.nat(REFEREES.length - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("enrol" as const), who }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("buy" as const),
      who,
      minor: fc.integer({ min: 500, max: 4000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("refund" as const),
      who,
      share: fc.integer({ min: 1, max: 100 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 24 * 12 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat(), keep: fc.boolean() }),
  },
);

interface Referee {
  state: MemberState;
  /** Earn entries and reversals of each order, as the ledger holds them. */
  orders: {
    earn: LedgerEntry;
    reversals: LedgerEntry[];
    refundedMinor: number;
    refundedBeforeClear: number;
  }[];
  entries: LedgerEntry[];
}

function run(ops: readonly Op[]) {
  let now = Date.parse("2025-03-20T08:00:00Z");
  const iso = () => new Date(now).toISOString();
  const referees = new Map<string, Referee>();
  let referrer = enrolMember("sharer", "2025-01-01T00:00:00Z", program).state;
  const referrerEntries: { entry: LedgerEntry; period: string }[] = [];
  const applied = new Set<string>();
  const bus: OutboundEvent[] = [];
  let sequence = 0;

  const commit = (
    r: Referee,
    result: { state: MemberState; entries: LedgerEntry[]; outbound: OutboundEvent[] },
  ) => {
    r.state = result.state;
    r.entries.push(...result.entries);
    bus.push(...result.outbound.filter((e) => e.type === "Referral Completed"));
  };

  for (const step of ops) {
    sequence += 1;
    now += 60_000;
    if (step.kind === "wait") {
      now += step.hours * 3_600_000;
      // Some member event (or the retention job) settles every referee now and then.
      for (const r of referees.values()) commit(r, settleMember(r.state, program, iso()));
      continue;
    }
    if (step.kind === "deliver") {
      if (bus.length === 0) continue;
      const index = step.pick % bus.length;
      const event = bus[index] as Extract<OutboundEvent, { type: "Referral Completed" }>;
      if (!step.keep) bus.splice(index, 1); // kept ones are delivered again later
      const key = referralSourceKey(event.detail.memberId);
      if (applied.has(key)) continue;
      applied.add(key);
      const settled = settleMember(referrer, program, iso());
      const result = applyReferrerReward(
        settled.state,
        program,
        {
          refereeId: event.detail.memberId,
          orderId: event.detail.orderId,
          completedAt: event.detail.occurredAt,
        },
        iso(),
      );
      referrer = result.state;
      for (const entry of result.entries)
        referrerEntries.push({ entry, period: limitPeriodKey("month", utcDay(iso())) });
      continue;
    }
    const id = REFEREES[step.who] as string;
    const r = referees.get(id);
    if (step.kind === "enrol") {
      const decision = decideReferralLink({
        program,
        refereeId: id,
        referrerId: "sharer",
        sameEmail: false,
        refereeIsNew: !r,
        at: iso(),
      });
      if (!r && "link" in decision)
        referees.set(id, {
          state: enrolMember(id, iso(), program, { referredBy: decision.link }).state,
          orders: [],
          entries: [],
        });
      continue;
    }
    if (!r) continue;
    if (step.kind === "buy") {
      const facts = purchase(`O-${sequence}`, iso(), [line(`S-${sequence}`, "grocery", step.minor)]);
      const result = applyPurchase(r.state, program, facts, { now: iso() });
      commit(r, result);
      const earn = result.entries.find((e) => e.kind === "earn") as LedgerEntry;
      r.orders.push({ earn, reversals: [], refundedMinor: 0, refundedBeforeClear: 0 });
      continue;
    }
    const order = r.orders[step.share % r.orders.length];
    if (order?.earn.details?.type !== "purchase") continue;
    const open = order.earn.details.totalMinor - order.refundedMinor;
    if (open <= 0) continue;
    const amountMinor = Math.max(1, Math.floor((open * step.share) / 100));
    const refund = {
      sourceKey: `refund:${sequence}`,
      refundId: `R-${sequence}`,
      occurredAt: iso(),
      currency: "EUR",
      amountMinor,
    };
    const result = applyRefund(r.state, program, refund, order.earn, order.reversals, { now: iso() });
    commit(r, result);
    order.reversals.push(...result.entries.filter((e) => e.kind === "reverse"));
    order.refundedMinor += amountMinor;
    const clearsOn = addDays(utcDay(order.earn.occurredAt), program.earning.pendingDays);
    if (utcDay(iso()) < clearsOn) order.refundedBeforeClear += amountMinor;
  }
  return { referees, referrerEntries };
}

describe("referral rewards under any interleaving", () => {
  it("never exceed the limits and are given at most once", () => {
    // How often the runs reach what the property guards, so it cannot hold vacuously.
    const seen = { refereeRewards: 0, overLimit: 0, refundedThenKept: 0 };
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80 }), (ops) => {
        const { referees, referrerEntries } = run(ops);
        for (const [id, r] of referees) {
          const rewards = r.entries.filter((e) => e.kind === "referral");
          expect(rewards.length).toBeLessThanOrEqual(1);
          const reward = rewards[0];
          if (reward?.details?.type !== "referral") continue;
          // The rewarded order was kept at the minimum or more until it cleared.
          const orderId = reward.details.orderId;
          const order = r.orders.find(
            (o) => o.earn.details?.type === "purchase" && o.earn.details.orderId === orderId,
          );
          expect(order, `${id}'s rewarded order`).toBeDefined();
          if (order?.earn.details?.type !== "purchase") continue;
          expect(order.earn.details.totalMinor - order.refundedBeforeClear).toBeGreaterThanOrEqual(MIN_SPEND);
        }
        const ids = referrerEntries.map((e) => e.entry.entryId);
        expect(new Set(ids).size).toBe(ids.length);
        const rewardedPerPeriod = new Map<string, number>();
        for (const { entry, period } of referrerEntries)
          if (entry.points > 0) rewardedPerPeriod.set(period, (rewardedPerPeriod.get(period) ?? 0) + 1);
        for (const count of rewardedPerPeriod.values()) expect(count).toBeLessThanOrEqual(LIMIT);
        seen.overLimit += referrerEntries.filter((e) => e.entry.points === 0).length;
        for (const r of referees.values()) {
          if (!r.entries.some((e) => e.kind === "referral")) continue;
          seen.refereeRewards += 1;
          if (r.orders.some((o) => o.refundedBeforeClear > 0)) seen.refundedThenKept += 1;
        }
        // Every referrer entry answers a referee who was rewarded.
        for (const { entry } of referrerEntries) {
          const refereeId = entry.details?.type === "referral" ? entry.details.refereeId : "";
          expect(referees.get(refereeId)?.entries.some((e) => e.kind === "referral")).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(seen.refereeRewards).toBeGreaterThan(50);
    expect(seen.overLimit).toBeGreaterThan(0);
    expect(seen.refundedThenKept).toBeGreaterThan(0);
  });
});
