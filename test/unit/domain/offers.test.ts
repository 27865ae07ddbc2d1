import { describe, expect, it } from "vitest";
import {
  checkOffer,
  isOfferCode,
  normaliseOfferCode,
  OFFER_CODE_ALPHABET,
  OFFER_CODE_LENGTH,
  type OfferInstance,
  offerBenefit,
} from "../../../domain/offers/offer-instance";
import {
  codesToRestore,
  decideOfferRedemptions,
  type RedeemedOffer,
} from "../../../domain/offers/offer-redemption";
import { randomOfferCode } from "../../../functions/retention/offer-code";

// The offer domain's rules one by one: when a code applies, what it gives, how an order's codes are decided,
// which a full refund gives back, and what a code looks like.

const instance: OfferInstance = {
  code: "ABCD234567",
  memberId: "m-1",
  offerId: "five-off",
  kind: "amount-off",
  value: 500,
  minSpendMinor: 0,
  trigger: "win-back-step-1",
  family: "win-back",
  messageKey: "win-back-step-1:m-1",
  issuedAt: "2025-03-01T09:00:00.000Z",
  validUntil: "2025-03-30",
};
const use = { memberId: "m-1", basketMinor: 2000 };

describe("checkOffer", () => {
  it("is not valid before it was issued", () => {
    expect(checkOffer(instance, { ...use, at: "2025-03-01T08:59:59Z" })).toEqual({
      valid: false,
      reason: "not-yet-valid",
    });
    expect(checkOffer(instance, { ...use, at: "2025-03-01T09:00:00Z" }).valid).toBe(true);
  });

  it("is valid through the last day (UTC) and expired from the next", () => {
    expect(checkOffer(instance, { ...use, at: "2025-03-30T23:59:59.999Z" }).valid).toBe(true);
    expect(checkOffer(instance, { ...use, at: "2025-03-31T00:00:00Z" })).toEqual({
      valid: false,
      reason: "expired",
    });
  });
});

describe("offerBenefit", () => {
  it("caps an amount off at the basket", () => {
    expect(offerBenefit(instance, 320)).toEqual({ discountMinor: 320, points: 0 });
    expect(offerBenefit(instance, 2000)).toEqual({ discountMinor: 500, points: 0 });
  });

  it("rounds a percent off down", () => {
    expect(offerBenefit({ kind: "percent-off", value: 15 }, 999)).toEqual({ discountMinor: 149, points: 0 });
  });
});

describe("decideOfferRedemptions", () => {
  const context = {
    memberId: "m-1",
    sourceKey: "purchase:retail.pos:o-1",
    occurredAt: "2025-03-10T10:00:00Z",
    basketMinor: 2000,
    pointCostMinor: 1,
    rewards: [],
  };

  it("uses the same code once when the order carries it twice", () => {
    const outcome = decideOfferRedemptions(
      [
        { code: instance.code, instance },
        { code: instance.code, instance },
      ],
      context,
    );
    expect(outcome.redeemed.map((r) => r.code)).toEqual([instance.code]);
    expect(outcome.rejected).toEqual([{ code: instance.code, reason: "already-redeemed" }]);
  });

  it("does not stack two codes of one offer on one order", () => {
    const other = { ...instance, code: "WXYZ234567", messageKey: "win-back-step-2:m-1" };
    const outcome = decideOfferRedemptions(
      [
        { code: instance.code, instance },
        { code: other.code, instance: other },
      ],
      context,
    );
    expect(outcome.redeemed).toMatchObject([{ code: instance.code, discountMinor: 500, costMinor: 500 }]);
    expect(outcome.rejected).toEqual([{ code: "WXYZ234567", reason: "same-offer-on-order" }]);
  });
});

describe("codesToRestore", () => {
  const redeemed: RedeemedOffer[] = [
    {
      code: "ABCD234567",
      offerId: "five-off",
      kind: "amount-off",
      trigger: "win-back-step-1",
      messageKey: "win-back-step-1:m-1",
      validUntil: "2025-03-30",
      discountMinor: 500,
      points: 0,
      costMinor: 500,
    },
  ];
  const full = { restoreOnFullRefund: true, fullyRefunded: true };

  it("gives a code back on its last day, not after", () => {
    expect(codesToRestore(redeemed, { ...full, at: "2025-03-30T23:00:00Z" })).toEqual([
      { code: "ABCD234567", trigger: "win-back-step-1", costMinor: 500 },
    ]);
    expect(codesToRestore(redeemed, { ...full, at: "2025-03-31T00:00:00Z" })).toEqual([]);
  });

  it("gives nothing back when the option is off or the refund is partial", () => {
    const at = "2025-03-12T10:00:00Z";
    expect(codesToRestore(redeemed, { ...full, restoreOnFullRefund: false, at })).toEqual([]);
    expect(codesToRestore(redeemed, { ...full, fullyRefunded: false, at })).toEqual([]);
  });
});

describe("offer codes", () => {
  it("normalise what a person typed: upper case, without spaces or hyphens", () => {
    expect(normaliseOfferCode(" abcd-2345 67\t")).toBe("ABCD234567");
    expect(isOfferCode(normaliseOfferCode("abcd-2345-67"))).toBe(true);
  });

  it("are drawn at random from the alphabet without look-alikes, 10 characters long", () => {
    expect(OFFER_CODE_ALPHABET).not.toMatch(/[01ILO]/);
    const codes = Array.from({ length: 2_000 }, randomOfferCode);
    for (const code of codes) {
      expect(code).toHaveLength(OFFER_CODE_LENGTH);
      expect(isOfferCode(code)).toBe(true);
    }
    // Every character of the alphabet turns up, and no two codes are alike.
    expect(new Set(codes.join(""))).toEqual(new Set(OFFER_CODE_ALPHABET));
    expect(new Set(codes).size).toBe(codes.length);
  });
});
