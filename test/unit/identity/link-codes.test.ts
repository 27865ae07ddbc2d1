import { describe, expect, it } from "vitest";
import { createTokenSigner } from "../../../functions/http/signed-token";
import { canonicalLinkCode, linkCodeHash, newLinkCode } from "../../../functions/identity/link-codes";

describe("link codes", () => {
  it("are 8 Crockford base32 characters shown as XXXX-XXXX", () => {
    for (let i = 0; i < 200; i += 1)
      expect(newLinkCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    let next = 0;
    expect(newLinkCode(() => next++)).toBe("0123-4567");
  });

  it("read as typed: any case, spaces and dashes, O for 0 and I or L for 1", () => {
    expect(canonicalLinkCode("7k3q-9xwd")).toBe("7K3Q9XWD");
    expect(canonicalLinkCode(" 7K3Q 9XWD ")).toBe("7K3Q9XWD");
    expect(canonicalLinkCode("OIL0-1234")).toBe("01101234");
  });

  it("refuse what cannot be a code", () => {
    expect(canonicalLinkCode("7K3Q-9XW")).toBeUndefined();
    expect(canonicalLinkCode("7K3Q-9XWDA")).toBeUndefined();
    expect(canonicalLinkCode("UUUU-UUUU")).toBeUndefined();
    expect(canonicalLinkCode("7K3Q_9XWD")).toBeUndefined();
  });

  it("are stored as a keyed hash: the same code hashes alike, another code or key differently", () => {
    const signer = createTokenSigner("a".repeat(40));
    const hash = linkCodeHash(signer, "7K3Q9XWD");
    expect(hash).toBe(linkCodeHash(signer, "7K3Q9XWD"));
    expect(hash).not.toContain("7K3Q9XWD");
    expect(linkCodeHash(signer, "7K3Q9XWE")).not.toBe(hash);
    expect(linkCodeHash(createTokenSigner("b".repeat(40)), "7K3Q9XWD")).not.toBe(hash);
  });
});
