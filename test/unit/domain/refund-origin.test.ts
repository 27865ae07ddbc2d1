import { describe, expect, it } from "vitest";
import { matchesSourcePattern, refundOrigin } from "../../../domain/member/refund-origin";

describe("matchesSourcePattern (IAM StringLike, as events:source conditions evaluate)", () => {
  it("matches * as any run of characters and ? as one character", () => {
    expect(matchesSourcePattern("retail.pos.*", "retail.pos.store-042")).toBe(true);
    expect(matchesSourcePattern("retail.pos.*", "retail.web.shop")).toBe(false);
    expect(matchesSourcePattern("retail.pos.store-04?", "retail.pos.store-042")).toBe(true);
    expect(matchesSourcePattern("retail.pos.store-04?", "retail.pos.store-0421")).toBe(false);
  });

  it("treats other characters literally (a dot is not a regex wildcard)", () => {
    expect(matchesSourcePattern("retail.pos.*", "retailXpos.store")).toBe(false);
  });
});

describe("refundOrigin", () => {
  const pos = "retail.pos.store-042";

  it("allows a refund of the producer's own order (no originalOrderSource, or the same source)", () => {
    expect(refundOrigin({ source: pos, refundAuthoritySources: [] })).toEqual({ ok: true });
    expect(refundOrigin({ source: pos, originalOrderSource: pos, refundAuthoritySources: [] })).toEqual({
      ok: true,
    });
  });

  it("rejects a refund of another producer's order, naming the field and why", () => {
    expect(
      refundOrigin({ source: pos, originalOrderSource: "retail.web.shop", refundAuthoritySources: [] }),
    ).toEqual({
      ok: false,
      reason: "refund-of-foreign-order",
      path: "detail.originalOrderSource",
      message: expect.stringMatching(/another source.*refund authority/),
    });
  });

  it("allows a refund authority to refund any producer's order", () => {
    expect(
      refundOrigin({
        source: pos,
        originalOrderSource: "retail.web.shop",
        refundAuthoritySources: ["retail.pos.*"],
      }),
    ).toEqual({ ok: true });
    expect(
      refundOrigin({
        source: pos,
        originalOrderSource: "retail.web.shop",
        refundAuthoritySources: ["retail.app.*"],
      }).ok,
    ).toBe(false);
  });

  describe("per producer: a producer may refund the orders of any of its own sources", () => {
    const producerSources = [["retail.pos.*"], ["retail.web.*", "retail.app.*"]];

    it("allows one store to refund another store's order (both the POS producer's sources)", () => {
      expect(
        refundOrigin({
          source: pos,
          originalOrderSource: "retail.pos.store-017",
          producerSources,
          refundAuthoritySources: [],
        }),
      ).toEqual({ ok: true });
      expect(
        refundOrigin({
          source: "retail.app.ios",
          originalOrderSource: "retail.web.shop",
          producerSources,
          refundAuthoritySources: [],
        }),
      ).toEqual({ ok: true });
    });

    it("still rejects a refund of another producer's order", () => {
      expect(
        refundOrigin({
          source: pos,
          originalOrderSource: "retail.web.shop",
          producerSources,
          refundAuthoritySources: [],
        }),
      ).toMatchObject({ ok: false, reason: "refund-of-foreign-order" });
    });

    it("needs one producer to own both sources, not two producers one each", () => {
      expect(
        refundOrigin({
          source: pos,
          originalOrderSource: "retail.pos.store-017",
          producerSources: [["retail.pos.store-042"], ["retail.pos.store-017"]],
          refundAuthoritySources: [],
        }).ok,
      ).toBe(false);
    });
  });
});
