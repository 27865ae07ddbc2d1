import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  exampleProgramInput,
  type LedgerEntry,
  type ProgramInput,
  parseProgram,
  partnerMovements,
  partnerStatement,
  pointsToMinor,
  redeemReward,
} from "../../../domain";
import { line, member, programWith, purchase } from "./fixtures";

const program = programWith((i) => {
  i.earning.pendingDays = 0;
  i.earning.firstPurchaseBonus = undefined;
  i.earning.promotions = [];
});

describe("partner statement figures", () => {
  it("prices points in whole minor units, rounding the month's total half away from zero", () => {
    expect(pointsToMinor(1000, 800_000)).toBe(800);
    expect(pointsToMinor(1, 500_000)).toBe(1);
    expect(pointsToMinor(1, 499_999)).toBe(0);
    expect(pointsToMinor(-3, 500_000)).toBe(-2);
    expect(pointsToMinor(0, 800_000)).toBe(0);
    // Beyond a double's exact integers: 2e9 points at 1000 minor units each.
    expect(pointsToMinor(2_000_000_000, 1_000_000_000)).toBe(2_000_000_000_000);
  });

  it("bills issued less reversed at the issue price and pays funded redemptions at the redeem price", () => {
    const statement = partnerStatement(program, "cafe-lumen", "2025-03", {
      issued: 1250,
      redeemed: 300,
      expired: 50,
      reversed: 250,
      redeemedWith: 400,
    });
    expect(statement).toMatchObject({
      name: "Café Lumen",
      currency: "EUR",
      points: { issued: 1250, redeemed: 300, expired: 50, reversed: 250, net: 650 },
      redeemedWithPartner: 400,
      // 1000 × 0.8 cent = 800; 400 × 0.6 cent = 240.
      amounts: { partnerOwesMinor: 800, programmeOwesMinor: 240, netSettlementMinor: 560 },
    });
    expect(partnerStatement(program, "nobody", "2025-03", statement?.points as never)).toBeUndefined();
  });

  it("a purchase with a partner earns by its rate into its lot; its funded reward is redeemed with it", () => {
    const at = "2025-03-10T10:00:00Z";
    const facts = {
      ...purchase("L-1", at, [line("TEE", "apparel", 2500)]),
      source: "retail.partner.cafe-lumen.till-1",
      sourceKey: "purchase:retail.partner.cafe-lumen.till-1:L-1",
    };
    const bought = applyPurchase(member(program), program, facts, { now: at });
    const earn = bought.entries.find((e) => e.kind === "earn") as LedgerEntry;
    // 25 EUR × 2 points (Café Lumen's rate, not the base 1 point).
    expect(earn.points).toBe(50);
    expect(earn.ruleIds).toContain("partner-cafe-lumen");
    expect(earn.reason).toContain("with partner Café Lumen");
    expect(earn.partners).toEqual([{ partnerId: "cafe-lumen", points: 50 }]);
    expect(bought.state.points.lots).toEqual([
      { expiresOn: "2027-03-10", points: 50, partner: "cafe-lumen" },
    ]);

    const later = "2025-04-02T09:00:00Z";
    const cheap = programWith((i) => {
      i.earning.pendingDays = 0;
      i.rewards = i.rewards?.map((r) => (r.rewardId === "lumen-pastry" ? { ...r, pointsCost: 30 } : r));
    });
    const redeemed = redeemReward(bought.state, cheap, "lumen-pastry", { now: later, redemptionKey: "r-1" });
    const entry = redeemed.entries.at(-1) as LedgerEntry;
    expect(entry.partners).toEqual([{ partnerId: "cafe-lumen", points: -30 }]);
    expect(entry.details).toMatchObject({ type: "redemption", partnerId: "cafe-lumen" });
    expect(partnerMovements([earn, entry])).toEqual([
      {
        partnerId: "cafe-lumen",
        month: "2025-03",
        issued: 50,
        redeemed: 0,
        expired: 0,
        reversed: 0,
        redeemedWith: 0,
      },
      {
        partnerId: "cafe-lumen",
        month: "2025-04",
        issued: 0,
        redeemed: 30,
        expired: 0,
        reversed: 0,
        redeemedWith: 30,
      },
    ]);
  });

  it("rejects a purchase from an unlisted partner or a source the partner has not registered, naming source", () => {
    const at = "2025-03-10T10:00:00Z";
    const from = (source: string) => () =>
      applyPurchase(
        member(program),
        program,
        { ...purchase("L-2", at, [line("TEE", "apparel", 100)]), source },
        {
          now: at,
        },
      );
    expect(from("retail.partner.nobody.till")).toThrow(/partner "nobody" is not in the program's partners/);
    const pinned = programWith((i) => {
      i.partners = i.partners?.map((p) => ({ ...p, sources: [`retail.partner.${p.id}.till-*`] }));
    });
    expect(() =>
      applyPurchase(
        member(pinned),
        pinned,
        { ...purchase("L-3", at, [line("TEE", "apparel", 100)]), source: "retail.partner.cafe-lumen.web" },
        { now: at },
      ),
    ).toThrow(/registered sources/);
  });
});

describe("partner registry checks", () => {
  const errorsOf = (edit: (input: ProgramInput) => void) => {
    const input: ProgramInput = structuredClone(exampleProgramInput);
    edit(input);
    const result = parseProgram(input);
    return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it("names the field of a duplicate partner, a foreign source and an unknown funder", () => {
    const errors = errorsOf((i) => {
      const [first] = i.partners ?? [];
      if (!first) throw new Error("the example program has partners");
      i.partners = [...(i.partners ?? []), { ...first, earn: { ruleId: "partner-copy", pointsPerUnit: 1 } }];
      first.sources = ["retail.partner.velo-fuel.till"];
      i.rewards = [
        ...(i.rewards ?? []),
        { rewardId: "ghost", name: "Ghost", pointsCost: 1, fundedBy: "ghost-co" },
      ];
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^partners\[2\]\.id: duplicate partner id "cafe-lumen"/),
        expect.stringMatching(
          /^partners\[0\]\.sources\[0\]: .*must start with "retail\.partner\.cafe-lumen\."/,
        ),
        expect.stringMatching(/^rewards\[\d+\]\.fundedBy: unknown partner "ghost-co"/),
      ]),
    );
  });
});
