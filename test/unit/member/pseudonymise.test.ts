import { describe, expect, it } from "vitest";
import {
  ERASED_TEXT,
  piiPattern,
  piiTermsOfProfile,
  pseudonymise,
} from "../../../domain/member/pseudonymise";

// Erasure's rewrite: the member's e-mail and names become the pseudonym in prose, their own free text is
// dropped, and identifiers that key records stay as they were.

const profile = {
  email: "Ada.Lovelace@example.com",
  profile: { givenName: "Ada", familyName: "Lovelace" },
  consent: { email: true },
};
const terms = piiTermsOfProfile(profile);
const pattern = piiPattern(terms);
const scrub = <T>(value: T) => pseudonymise(value, { pseudonym: "P", ...(pattern && { pattern }) });

describe("pseudonymise", () => {
  it("collects the e-mail, each name part and the full name", () => {
    expect(terms).toEqual({
      emails: ["Ada.Lovelace@example.com"],
      names: ["Ada", "Lovelace", "Ada Lovelace"],
    });
  });

  it("replaces an address or a full name whole, ignoring case, and names only as whole words", () => {
    const { value, changed } = scrub({
      reason:
        "Goodwill for ada lovelace (ADA.LOVELACE@EXAMPLE.COM); Adam and Canada unaffected, Ada-style too",
    });
    expect(changed).toBe(true);
    expect(value.reason).toBe("Goodwill for P (P); Adam and Canada unaffected, P-style too");
  });

  it("drops a survey comment whole and leaves identifiers alone", () => {
    const item = {
      SK: "LEDGER#2026-01-01T00:00:00.000Z#interaction:ada",
      entry: {
        entryId: "interaction:ada",
        sourceKey: "interaction:x:ada",
        reason: "Survey answered",
        ruleIds: ["ada"],
        details: { survey: { npsScore: 3, comment: "no names in here at all" } },
      },
    };
    const { value, changed } = scrub(item);
    expect(changed).toBe(true);
    expect(value.entry.details.survey).toEqual({ npsScore: 3, comment: ERASED_TEXT });
    expect(value.SK).toBe(item.SK);
    expect(value.entry.entryId).toBe("interaction:ada");
    expect(value.entry.sourceKey).toBe("interaction:x:ada");
    expect(value.entry.ruleIds).toEqual(["ada"]);
  });

  it("reports no change for an item without PII, and treats a profile without names as no pattern", () => {
    expect(scrub({ entry: { reason: "Purchase", points: 10 } }).changed).toBe(false);
    expect(piiPattern(piiTermsOfProfile({ consent: { email: false } }))).toBeUndefined();
    expect(piiPattern({ emails: [], names: ["J"] })).toBeUndefined();
  });
});
