import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chooseOffer,
  incentiveBudget,
  type OfferContext,
  offerCost,
} from "../../../domain/offers/offer-choice";
import { config } from "./fixtures";

const cfg = config({
  offers: {
    catalogue: [
      { id: "pts-100", kind: "bonus-points", value: 100 },
      { id: "pts-500", kind: "bonus-points", value: 500 },
      { id: "ten-off", kind: "percent-off", value: 10 },
      { id: "coffee-5", kind: "amount-off", value: 500, categories: ["coffee"] },
      { id: "champ-20", kind: "amount-off", value: 2_000, segments: ["champions"] },
      { id: "final-25", kind: "percent-off", value: 25, minWinBackStep: 3 },
      { id: "bday-only", kind: "bonus-points", value: 300, triggers: ["birthday"] },
    ],
    pointCostMinor: 1,
    clvSharePercent: 5,
    orderValueSharePercent: 10,
    escalationPercentPerStep: 50,
    capMinor: 3_000,
  },
});

const base: OfferContext = { family: "win-back", winBackStep: 1, segment: "loyal" };

describe("offer choice", () => {
  it("sizes the budget to the member's value, escalates per win-back step and caps it", () => {
    expect(incentiveBudget({ ...base, predictedClvMinor: 20_000 }, cfg)).toBe(1_000);
    expect(incentiveBudget({ ...base, predictedClvMinor: 20_000, winBackStep: 3 }, cfg)).toBe(2_000);
    expect(incentiveBudget({ ...base, predictedClvMinor: 1_000_000 }, cfg)).toBe(3_000);
    expect(incentiveBudget({ ...base, averageOrderValueMinor: 4_000 }, cfg)).toBe(400);
    expect(incentiveBudget(base, cfg)).toBe(300); // default order value 3000
    expect(
      incentiveBudget({ ...base, family: "birthday", winBackStep: 3, averageOrderValueMinor: 4_000 }, cfg),
    ).toBe(400);
  });

  it("costs offers on this member's usual order", () => {
    const ten = cfg.offers.catalogue.find((o) => o.id === "ten-off");
    if (!ten) throw new Error("fixture");
    expect(offerCost(ten, { ...base, averageOrderValueMinor: 6_000 }, cfg)).toBe(600);
    expect(offerCost(ten, base, cfg)).toBe(300);
  });

  it("does not spend a big discount on a member worth little", () => {
    expect(chooseOffer({ ...base, predictedClvMinor: 2_000 }, cfg)).toMatchObject({
      offer: { id: "pts-100" },
      costMinor: 100,
      budgetMinor: 100,
    });
    expect(chooseOffer({ ...base, predictedClvMinor: 1_000 }, cfg)).toBeUndefined();
    expect(
      chooseOffer({ ...base, predictedClvMinor: 40_000, averageOrderValueMinor: 6_000 }, cfg)?.offer.id,
    ).toBe("ten-off");
  });

  it("prefers the favourite category, then the segment, then the most valuable offer", () => {
    const rich = { ...base, predictedClvMinor: 100_000, averageOrderValueMinor: 3_000 };
    expect(chooseOffer({ ...rich, favouriteCategory: "coffee" }, cfg)?.offer.id).toBe("coffee-5");
    expect(chooseOffer({ ...rich, segment: "champions" }, cfg)?.offer.id).toBe("champ-20");
    expect(chooseOffer(rich, cfg)?.offer.id).toBe("pts-500"); // costs 500, ten-off only 300 here
  });

  it("keeps the biggest offers for the last win-back step and trigger-specific offers for their trigger", () => {
    const rich = { ...base, predictedClvMinor: 100_000, averageOrderValueMinor: 8_000 };
    expect(chooseOffer({ ...rich, winBackStep: 3 }, cfg)?.offer.id).toBe("final-25");
    expect(chooseOffer({ ...rich, winBackStep: 2 }, cfg)?.offer.id).toBe("ten-off");
    expect(
      chooseOffer({ family: "birthday", segment: "unknown", predictedClvMinor: 6_000 }, cfg)?.offer.id,
    ).toBe("bday-only");
  });

  it("gives every service-recovery message the configured gesture, outside the value budget", () => {
    const poor = { family: "service-recovery" as const, segment: "lost", predictedClvMinor: 1_000 };
    // Budget 5 % of 1,000 = 50: no offer fits without a gesture.
    expect(chooseOffer(poor, cfg)).toBeUndefined();
    const withGesture = config({
      offers: cfg.offers,
      triggers: { serviceRecovery: { gestureOfferId: "pts-500" } },
    });
    expect(chooseOffer(poor, withGesture)).toEqual({
      offer: expect.objectContaining({ id: "pts-500" }),
      costMinor: 500,
      budgetMinor: 50,
    });
    // Other triggers are still sized to value.
    expect(chooseOffer({ ...poor, family: "birthday" }, withGesture)).toBeUndefined();
  });

  it("is deterministic and never over budget; later steps never get a cheaper offer", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.constantFrom("champions", "loyal", "lost", "unknown"),
        fc.constantFrom(undefined, "coffee", "tea"),
        (clv, aov, segment, favouriteCategory) => {
          const ctx = {
            family: "win-back" as const,
            segment,
            favouriteCategory,
            predictedClvMinor: clv,
            averageOrderValueMinor: aov,
          };
          const noFinal = config({
            offers: { ...cfg.offers, catalogue: cfg.offers.catalogue.filter((o) => !o.minWinBackStep) },
          });
          let previous = -1;
          for (const step of [1, 2, 3]) {
            const chosen = chooseOffer({ ...ctx, winBackStep: step }, noFinal);
            expect(chooseOffer({ ...ctx, winBackStep: step }, noFinal)).toEqual(chosen);
            if (chosen) {
              expect(chosen.costMinor).toBeLessThanOrEqual(chosen.budgetMinor);
              expect(chosen.costMinor).toBeGreaterThanOrEqual(previous);
              previous = chosen.costMinor;
            }
          }
        },
      ),
    );
  });
});
