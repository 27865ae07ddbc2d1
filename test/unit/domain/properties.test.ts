import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyInteraction,
  applyPurchase,
  applyRefund,
  expirePoints,
  type LedgerEntry,
  type MemberState,
  type Program,
  type PurchaseFacts,
  pendingBalance,
  reviewTier,
  settleMember,
  spendableBalance,
} from "../../../domain";
import { line, member, programWith, purchase } from "./fixtures";

const products = [
  ["TEE", "apparel"],
  ["BOOT", "shoes"],
  ["COF-HOUSE-250", "coffee"],
  ["ESPRESSO", "coffee"],
  ["GIFT-50", "gift-cards"],
  ["BUN", "bakery"],
] as const;

const programArb = fc
  .record({
    rounding: fc.constantFrom("floor", "round-half-up", "ceil"),
    roundingScope: fc.constantFrom("order", "line"),
    basePointsPerUnit: fc.constantFrom(0.5, 1, 1.5, 2.5),
    pendingDays: fc.constantFrom(0, 30),
    whenPointsSpent: fc.constantFrom("allow-negative", "claw-back"),
    metric: fc.constantFrom("statusPoints", "qualifyingSpend"),
  })
  .map((o) =>
    programWith((i) => {
      Object.assign(i.earning, {
        rounding: o.rounding,
        roundingScope: o.roundingScope,
        basePointsPerUnit: o.basePointsPerUnit,
      });
      i.earning.pendingDays = o.pendingDays;
      i.refunds = { ruleId: "refund-reversal", whenPointsSpent: o.whenPointsSpent };
      if (o.metric === "qualifyingSpend") {
        i.tierQualification.metric = "qualifyingSpend";
        i.tiers = i.tiers.map((t) => ({ ...t, threshold: t.threshold * 100 }));
      }
    }),
  );

const linesArb = fc.array(
  fc.record({
    product: fc.constantFrom(...products),
    quantity: fc.integer({ min: 1, max: 5 }),
    unitPriceMinor: fc.integer({ min: 0, max: 50_000 }),
  }),
  { minLength: 1, maxLength: 5 },
);

const START = Date.parse("2025-01-20T00:00:00Z");
const purchaseArb = (orderId: string) =>
  fc
    .record({
      lines: linesArb,
      discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
      minute: fc.integer({ min: 0, max: 400 * 1440 }),
    })
    .map(({ lines, discountShare, minute }): PurchaseFacts => {
      const factLines = lines.map((l) => line(l.product[0], l.product[1], l.unitPriceMinor, l.quantity));
      const subtotal = factLines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
      const at = new Date(START + minute * 60_000).toISOString();
      return purchase(orderId, at, factLines, { discountMinor: Math.floor(subtotal * discountShare) });
    });

const historyArb = fc.array(
  fc.oneof(
    purchaseArb("H").map((p) => ({ type: "purchase" as const, p })),
    fc
      .record({
        kind: fc.constantFrom(
          "review-written",
          "survey-answered",
          "app-login",
          "complaint-resolved",
          "unknown-kind",
        ),
        minute: fc.integer({ min: 0, max: 400 * 1440 }),
      })
      .map((i) => ({ type: "interaction" as const, ...i })),
  ),
  { maxLength: 12 },
);

type History = ReturnType<typeof historyArb.generate>["value"];

/** Applies a history in time order (ids numbered), returning the state and every entry and event. */
function replay(program: Program, history: History) {
  const at = (e: History[number]) =>
    e.type === "purchase" ? Date.parse(e.p.occurredAt) : START + e.minute * 60_000;
  const sorted = [...history].sort((a, b) => at(a) - at(b));
  let state: MemberState = member(program, "2025-01-01T00:00:00Z");
  const entries: LedgerEntry[] = [];
  const outbound: unknown[] = [];
  sorted.forEach((event, n) => {
    const now = new Date(at(event)).toISOString();
    const result =
      event.type === "purchase"
        ? applyPurchase(
            state,
            program,
            { ...event.p, orderId: `H-${n}`, sourceKey: `purchase:H-${n}` },
            { now },
          )
        : applyInteraction(
            state,
            program,
            { sourceKey: `i-${n}`, interactionId: `i-${n}`, kind: event.kind, occurredAt: now },
            { now },
          );
    state = result.state;
    entries.push(...result.entries);
    outbound.push(...result.outbound);
  });
  return {
    state,
    entries,
    outbound,
    lastAt: sorted.length > 0 ? at(sorted[sorted.length - 1] as History[number]) : START,
  };
}

const statusTotal = (s: MemberState) => s.qualifying.reduce((sum, b) => sum + b.statusPoints, 0);
const spendTotal = (s: MemberState) => s.qualifying.reduce((sum, b) => sum + b.spendMinor, 0);
const earnTotal = (e: LedgerEntry | undefined) => (e?.points ?? 0) + (e?.pendingPoints ?? 0);

describe("properties", () => {
  it("points are always whole numbers, in entries, lots and events", () => {
    fc.assert(
      fc.property(programArb, historyArb, (program, history) => {
        const { state, entries } = replay(program, history);
        for (const e of entries) {
          expect(Number.isInteger(e.points) && Number.isInteger(e.statusPoints)).toBe(true);
          expect(Number.isInteger(e.pendingPoints ?? 0)).toBe(true);
        }
        for (const lot of [...state.points.lots, ...state.points.pending])
          expect(Number.isInteger(lot.points)).toBe(true);
        expect(Number.isInteger(spendableBalance(state))).toBe(true);
      }),
    );
  });

  it("earning is monotone in spend: raising one line's price never lowers the points", () => {
    fc.assert(
      fc.property(
        programArb,
        purchaseArb("O-1"),
        fc.nat({ max: 10 }),
        fc.integer({ min: 1, max: 20_000 }),
        (program, p, which, raise) => {
          const index = which % p.lines.length;
          const lines = p.lines.map((l, i) =>
            i === index ? { ...l, unitPriceMinor: l.unitPriceMinor + raise } : l,
          );
          const richer = purchase("O-1", p.occurredAt, lines, { discountMinor: p.discountMinor });
          const now = { now: p.occurredAt };
          const earn = (facts: PurchaseFacts) =>
            earnTotal(
              applyPurchase(member(program), program, facts, now).entries.find((e) => e.kind === "earn"),
            );
          expect(earn(richer)).toBeGreaterThanOrEqual(earn(p));
        },
      ),
    );
  });

  it("a purchase followed by its full refund restores spendable, pending and status points", () => {
    fc.assert(
      fc.property(
        programArb,
        historyArb,
        purchaseArb("P-1"),
        fc.boolean(),
        (program, history, p, byAmount) => {
          const before = replay(program, history);
          const at = new Date(Math.max(before.lastAt, Date.parse(p.occurredAt))).toISOString();
          const facts = { ...p, occurredAt: at };
          const baseline = settleMember(before.state, program, at).state;
          const bought = applyPurchase(before.state, program, facts, { now: at });
          const earn = bought.entries.find((e) => e.kind === "earn") as LedgerEntry;
          const whole =
            byAmount && facts.totalMinor > 0
              ? { amountMinor: facts.totalMinor }
              : { lines: facts.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) };
          const refunded = applyRefund(
            bought.state,
            program,
            { sourceKey: "refund:R-1", refundId: "R-1", occurredAt: at, currency: "EUR", ...whole },
            earn,
            [],
            {
              now: at,
            },
          ).state;
          expect(spendableBalance(refunded)).toBe(spendableBalance(baseline));
          expect(pendingBalance(refunded)).toBe(pendingBalance(baseline));
          expect(statusTotal(refunded)).toBe(statusTotal(baseline));
          expect(spendTotal(refunded)).toBe(spendTotal(baseline));
        },
      ),
    );
  });

  it("tier is monotone in the qualifying metric", () => {
    fc.assert(
      fc.property(programArb, fc.nat({ max: 500_000 }), fc.nat({ max: 500_000 }), (program, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const at = "2025-03-10T10:00:00Z";
        const tierIndex = (cents: number) => {
          const state = applyPurchase(
            member(program),
            program,
            purchase("O-1", at, [line("TEE", "apparel", cents)]),
            {
              now: at,
            },
          ).state;
          return program.tiers.findIndex((t) => t.id === state.tier.tierId);
        };
        expect(tierIndex(low)).toBeLessThanOrEqual(tierIndex(high));
      }),
    );
  });

  it("processing the same event history twice gives identical state, entries and events", () => {
    fc.assert(
      fc.property(programArb, historyArb, fc.integer({ min: 0, max: 900 }), (program, history, laterDays) => {
        const run = () => {
          const result = replay(program, history);
          const later = new Date(result.lastAt + laterDays * 86_400_000).toISOString();
          const expired = expirePoints(result.state, program, later);
          const reviewed = reviewTier(expired.state, program, later);
          return { ...result, expired, reviewed };
        };
        const first = run();
        const second = run();
        expect(second).toEqual(first);
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
    );
  });
});
