import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  exampleProgram,
  InvalidFacts,
  paidPerLine,
  pendingBalance,
  spendableBalance,
} from "../../../domain";
import { line, member, plainProgram, programWith, purchase } from "./fixtures";

const MARCH = "2025-03-10T10:00:00+01:00";
const earnOf = (result: ReturnType<typeof applyPurchase>) => result.entries.find((e) => e.kind === "earn");

describe("base earning", () => {
  const program = plainProgram();

  it("EUR 120.00 at 1 pt per EUR 1 = 120 points, pending for 30 days (until 2025-04-09)", () => {
    const result = applyPurchase(
      member(program),
      program,
      purchase("O-1", MARCH, [line("TEE", "apparel", 12_000)]),
      {
        now: MARCH,
      },
    );
    const earn = earnOf(result);
    expect(earn).toMatchObject({
      entryId: "earn:purchase:retail.pos:O-1",
      kind: "earn",
      points: 0,
      pendingPoints: 120,
      statusPoints: 120,
      ruleIds: ["base-earn"],
      programVersion: 1,
      sourceKey: "purchase:retail.pos:O-1",
    });
    expect(earn?.reason).toBe(
      "Purchase order O-1 at store 42: 120 points (1 pt per EUR 1); spendable from 2025-04-09",
    );
    expect(pendingBalance(result.state)).toBe(120);
    expect(spendableBalance(result.state)).toBe(0);
    expect(result.outbound).toContainEqual({
      type: "Points Earned",
      detail: expect.objectContaining({
        points: 120,
        balance: 0,
        ledgerEntryId: "earn:purchase:retail.pos:O-1",
      }),
    });
  });

  it("a late purchase whose return window has closed earns spendable points at once", () => {
    const result = applyPurchase(
      member(program),
      program,
      purchase("O-1", MARCH, [line("TEE", "apparel", 5000)]),
      {
        now: "2025-04-09T00:00:00Z",
      },
    );
    expect(earnOf(result)).toMatchObject({ points: 50 });
    expect(earnOf(result)?.pendingPoints).toBeUndefined();
    expect(spendableBalance(result.state)).toBe(50);
  });

  it.each([
    ["floor", 1299, 12],
    ["round-half-up", 1250, 13],
    ["round-half-up", 1249, 12],
    ["ceil", 1201, 13],
  ] as const)("rounding %s: %i cents = %i points", (rounding, cents, points) => {
    const p = plainProgram((i) => {
      i.earning.rounding = rounding;
    });
    const result = applyPurchase(member(p), p, purchase("O-1", MARCH, [line("TEE", "apparel", cents)]), {
      now: MARCH,
    });
    expect(earnOf(result)?.pendingPoints).toBe(points);
  });

  it("order rounding: 3 lines of EUR 0.60 = floor(1.8) = 1 point; line rounding gives 0 + 0 + 0", () => {
    const lines = [line("A", "grocery", 60), line("B", "grocery", 60), line("C", "grocery", 60)];
    const byOrder = applyPurchase(member(program), program, purchase("O-1", MARCH, lines), { now: MARCH });
    expect(earnOf(byOrder)?.pendingPoints).toBe(1);
    const perLine = plainProgram((i) => {
      i.earning.roundingScope = "line";
    });
    const byLine = applyPurchase(member(perLine), perLine, purchase("O-1", MARCH, lines), { now: MARCH });
    expect(earnOf(byLine)?.pendingPoints ?? 0).toBe(0);
  });

  it("a EUR 9 discount on EUR 60 + EUR 30 is spread 6 : 3, so 54 + 27 = 81 points", () => {
    const result = applyPurchase(
      member(program),
      program,
      purchase("O-1", MARCH, [line("TEE", "apparel", 6000), line("CAP", "accessories", 3000)], {
        discountMinor: 900,
      }),
      { now: MARCH },
    );
    const details = earnOf(result)?.details;
    expect(details?.type === "purchase" && details.lines.map((l) => [l.paidMinor, l.points])).toEqual([
      [5400, 54],
      [2700, 27],
    ]);
  });

  it("largest remainder: EUR 3.00 over three EUR 1.00 lines less EUR 1.00 = 67 + 67 + 66 cents", () => {
    const p = purchase(
      "O-1",
      MARCH,
      [line("A", "grocery", 100), line("B", "grocery", 100), line("C", "grocery", 100)],
      {
        discountMinor: 100,
      },
    );
    expect(paidPerLine(p)).toEqual([67, 67, 66]);
  });

  it("rejects a total that does not match the lines, naming totalMinor", () => {
    const p = { ...purchase("O-1", MARCH, [line("TEE", "apparel", 1000)]), totalMinor: 900 };
    expect(() => applyPurchase(member(program), program, p, { now: MARCH })).toThrow(
      new InvalidFacts("totalMinor", "must equal the lines' total 1000 minus discountMinor 0 = 1000"),
    );
  });

  it("rejects a purchase in another currency than the program's", () => {
    const p = { ...purchase("O-1", MARCH, [line("TEE", "apparel", 1000)]), currency: "USD" };
    expect(() => applyPurchase(member(program), program, p, { now: MARCH })).toThrow(/currency/);
  });
});

describe("multipliers and promotions", () => {
  const program = plainProgram((i) => {
    i.earning.promotions = exampleProgram.earning.promotions;
  });
  const buy = (lines: ReturnType<typeof line>[], at = MARCH, channel: "pos" | "web" | "app" = "pos") =>
    earnOf(applyPurchase(member(program), program, purchase("O-1", at, lines, { channel }), { now: at }));

  it("shoes ×1.5: EUR 80 = 120 points, citing the category rule", () => {
    expect(buy([line("BOOT", "shoes", 8000)])).toMatchObject({
      pendingPoints: 120,
      ruleIds: ["base-earn", "shoes-x1-5"],
    });
  });

  it("SKU multiplier wins over category: house blend ×3 on EUR 8 = 24 points", () => {
    expect(buy([line("COF-HOUSE-250", "coffee", 800)])).toMatchObject({ pendingPoints: 24 });
  });

  it("gift cards ×0 earn no points, no status points and no qualifying spend", () => {
    const earn = buy([line("GIFT-50", "gift-cards", 5000)]);
    expect(earn).toMatchObject({ points: 0, statusPoints: 0 });
    expect(earn?.details?.type === "purchase" && earn.details.lines[0]?.qualifyingSpendMinor).toBe(0);
  });

  it("Double Weekend: EUR 100 on Saturday 7 June in store = 100 × 2 = 200 points", () => {
    const earn = buy([line("TEE", "apparel", 10_000)], "2025-06-07T15:00:00+02:00");
    expect(earn).toMatchObject({
      pendingPoints: 200,
      statusPoints: 100,
      ruleIds: ["base-earn", "double-weekend"],
    });
    expect(earn?.reason).toContain("×2 Double Weekend");
  });

  it("Double Weekend is per channel: the same basket on the web shop earns 100", () => {
    expect(buy([line("TEE", "apparel", 10_000)], "2025-06-07T15:00:00+02:00", "web")).toMatchObject({
      pendingPoints: 100,
    });
  });

  it("Double Weekend ends at Monday 00:00 (exclusive): 100 points", () => {
    expect(buy([line("TEE", "apparel", 10_000)], "2025-06-09T00:00:00+02:00")).toMatchObject({
      pendingPoints: 100,
    });
  });

  it("promotions do not stack: the highest multiplier applies", () => {
    const stacked = plainProgram((i) => {
      i.earning.promotions = [
        ...exampleProgram.earning.promotions,
        {
          ruleId: "triple",
          name: "Triple",
          startsAt: "2025-06-01T00:00:00Z",
          endsAt: "2025-07-01T00:00:00Z",
          multiplier: 3,
        },
      ];
    });
    const at = "2025-06-07T15:00:00+02:00";
    const result = applyPurchase(
      member(stacked),
      stacked,
      purchase("O-1", at, [line("TEE", "apparel", 10_000)]),
      {
        now: at,
      },
    );
    expect(earnOf(result)).toMatchObject({ pendingPoints: 300, ruleIds: ["base-earn", "triple"] });
  });
});

describe("first-purchase bonus", () => {
  const program = programWith((i) => {
    i.streaks = [];
  });

  it("first purchase of EUR 25 earns 25 + a 100-point welcome bonus entry; the second earns none", () => {
    const first = applyPurchase(
      member(program),
      program,
      purchase("O-1", MARCH, [line("TEE", "apparel", 2500)]),
      {
        now: MARCH,
      },
    );
    expect(first.entries.map((e) => [e.entryId, e.kind, e.pendingPoints])).toEqual([
      ["earn:purchase:retail.pos:O-1", "earn", 25],
      ["bonus:purchase:retail.pos:O-1:welcome-bonus", "bonus", 100],
    ]);
    expect(pendingBalance(first.state)).toBe(125);
    const second = applyPurchase(
      first.state,
      program,
      purchase("O-2", MARCH, [line("TEE", "apparel", 2500)]),
      {
        now: MARCH,
      },
    );
    expect(second.entries.map((e) => e.kind)).toEqual(["earn"]);
  });

  it("a first purchase under the EUR 10 minimum earns no bonus", () => {
    const result = applyPurchase(
      member(program),
      program,
      purchase("O-1", MARCH, [line("BUN", "bakery", 999)]),
      {
        now: MARCH,
      },
    );
    expect(result.entries.map((e) => e.kind)).toEqual(["earn"]);
  });
});
