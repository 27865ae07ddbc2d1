import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  applyRefund,
  type LedgerEntry,
  type ProgramInput,
  type PurchaseFacts,
  parseProgram,
} from "../../../domain";
import { chooseOffer, offerCost } from "../../../domain/offers/offer-choice";
import { issueOffer, offerBenefit } from "../../../domain/offers/offer-instance";
import type { Offer } from "../../../domain/offers/offer-schema";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { line, member, plainProgram, purchase } from "./fixtures";

// A catalogue reward as an offer: its code, used with a purchase, unlocks the reward (used later without
// points); a full refund takes an unused copy back with the code it gives back.

const SENT = "2025-03-01T09:00:00Z";
const BOUGHT = "2025-03-10T10:00:00Z";
const CODE = "RWRD234567";
const coffeeOffer: Offer = {
  id: "coffee-gift",
  kind: "reward",
  value: 1,
  rewardId: "free-coffee",
  minSpendMinor: 0,
  segments: [],
  categories: [],
  triggers: [],
};

function programErrors(edit: (input: ProgramInput) => void) {
  const input: ProgramInput = structuredClone(exampleProgramInput);
  edit(input);
  const result = parseProgram(input);
  return result.ok ? [] : result.errors;
}

describe("reward offers in the programme", () => {
  it("accept a reward offer naming a catalogue reward", () => {
    expect(
      programErrors((p) => {
        p.retention?.offers?.catalogue?.push({
          id: "coffee-gift",
          kind: "reward",
          value: 1,
          rewardId: "free-coffee",
        });
      }),
    ).toEqual([]);
  });

  it("reject a reward offer whose reward is not in the catalogue, at its rewardId", () => {
    expect(
      programErrors((p) => {
        p.retention?.offers?.catalogue?.push({ id: "gift", kind: "reward", value: 1, rewardId: "gold-bar" });
      }),
    ).toEqual([
      {
        path: "retention.offers.catalogue[6].rewardId",
        message: 'reward "gold-bar" is not in the rewards catalogue',
      },
    ]);
  });

  it("reject a reward offer without rewardId, and a rewardId on another kind", () => {
    const errors = programErrors((p) => {
      p.retention?.offers?.catalogue?.push(
        { id: "gift", kind: "reward", value: 1 },
        { id: "pts", kind: "bonus-points", value: 10, rewardId: "free-coffee" },
      );
    });
    expect(errors.map((e) => e.path)).toEqual([
      "retention.offers.catalogue[6].rewardId",
      "retention.offers.catalogue[7].rewardId",
    ]);
  });
});

describe("choosing a reward offer", () => {
  const program = plainProgram((p) => {
    if (p.retention?.offers) p.retention.offers.pointCostMinor = 2;
  });
  const context = { family: "win-back" as const, segment: "unknown" };

  it("costs its reward's points at the programme's point cost, per copy", () => {
    expect(offerCost({ ...coffeeOffer, value: 2 }, context, program.retention, program.rewards)).toBe(
      150 * 2 * 2,
    );
  });

  it("is never chosen when its reward is not priced", () => {
    const retention = {
      ...program.retention,
      offers: { ...program.retention.offers, catalogue: [coffeeOffer] },
    };
    const rich = { ...context, predictedClvMinor: 1_000_000 };
    expect(chooseOffer(rich, retention, program.rewards)?.offer.id).toBe("coffee-gift");
    expect(chooseOffer(rich, retention, [])).toBeUndefined();
  });
});

describe("redeeming a reward offer", () => {
  const program = plainProgram();
  const coffee = program.rewards.find((r) => r.rewardId === "free-coffee");
  const instance = issueOffer({
    chosen: { offer: coffeeOffer, costMinor: 150, budgetMinor: 300 },
    code: CODE,
    memberId: "m-1",
    trigger: { kind: "win-back-step-1", family: "win-back", messageKey: "win-back-step-1:m-1" },
    now: new Date(SENT),
    config: program.retention,
  });
  const order: PurchaseFacts = {
    ...purchase("O-1", BOUGHT, [line("TEE", "apparel", 2000)]),
    offerCodes: [{ code: CODE, instance }],
  };

  it("gives the reward: no money off, no points", () => {
    expect(instance.rewardId).toBe("free-coffee");
    expect(offerBenefit(instance, 2000)).toEqual({
      discountMinor: 0,
      points: 0,
      reward: { rewardId: "free-coffee", copies: 1 },
    });
  });

  it("unlocks the catalogue reward in the purchase and costs its points at the programme's point cost", () => {
    const result = applyPurchase(member(program), program, order, { now: BOUGHT });
    expect(result.state.rewards.unlocked).toEqual([{ rewardId: "free-coffee", count: 1 }]);
    const earn = result.entries.find((e) => e.kind === "earn");
    expect(earn?.details?.type === "purchase" && earn.details.offers?.redeemed).toEqual([
      expect.objectContaining({
        code: CODE,
        reward: { rewardId: "free-coffee", copies: 1 },
        costMinor: (coffee?.pointsCost ?? 0) * program.retention.offers.pointCostMinor,
      }),
    ]);
    expect(result.outbound).toContainEqual({
      type: "Reward Unlocked",
      detail: expect.objectContaining({ rewardId: "free-coffee", ruleId: "offer-coffee-gift" }),
    });
  });

  it("a full refund takes the unused reward back and gives the code back; a used one keeps the code spent", () => {
    const bought = applyPurchase(member(program), program, order, { now: BOUGHT });
    const earn = bought.entries.find((e) => e.kind === "earn") as LedgerEntry;
    const refund = {
      sourceKey: "refund:R-1",
      refundId: "R-1",
      occurredAt: BOUGHT,
      currency: "EUR",
      amountMinor: 2000,
    };
    const refunded = applyRefund(bought.state, program, refund, earn, [], { now: BOUGHT });
    expect(refunded.state.rewards.unlocked).toEqual([]);
    expect(refunded.entries.at(-1)?.reason).toContain("offer reward free-coffee taken back");
    expect(refunded.entries.at(-1)?.details).toMatchObject({
      offersRestored: [{ code: CODE }],
      offerRewardsTakenBack: [{ code: CODE, rewardId: "free-coffee", copies: 1 }],
    });

    const used = structuredClone(bought.state);
    used.rewards.unlocked = [];
    const late = applyRefund(used, program, refund, earn, [], { now: BOUGHT });
    expect(late.entries.at(-1)?.details).not.toHaveProperty("offersRestored");
  });
});
