import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CHANGED_AT_FIELD,
  consentWithdrawal,
  mergeProfileFacts,
  type ProfileChange,
  type StoredProfile,
} from "../../../domain/member/profile-facts";

const at = (day: number, minute = 0) => new Date(Date.UTC(2025, 2, day, 10, minute)).toISOString();

const enrolled = mergeProfileFacts(undefined, {
  fields: {
    email: "old@example.com",
    consent: { email: true, sms: false, push: false },
    profile: { givenName: "Jane", familyName: "Doe" },
  },
  changedAt: at(1),
}).profile;

describe("profile facts", () => {
  it("stamps every field, each consent channel and each name part with the time of the change", () => {
    expect(enrolled[CHANGED_AT_FIELD]).toEqual({
      email: at(1),
      "consent.email": at(1),
      "consent.sms": at(1),
      "consent.push": at(1),
      "profile.givenName": at(1),
      "profile.familyName": at(1),
    });
  });

  it("applies a newer change and ignores an older one, field by field", () => {
    const newer = mergeProfileFacts(enrolled, { fields: { email: "new@example.com" }, changedAt: at(5) });
    expect(newer.applied).toEqual(["email"]);
    const older = mergeProfileFacts(newer.profile, {
      fields: { email: "mid@example.com", locale: "fr-FR" },
      changedAt: at(3),
    });
    expect(older.applied).toEqual(["locale"]);
    expect(older.profile).toMatchObject({ email: "new@example.com", locale: "fr-FR" });
  });

  it("keeps the stored profile as it was", () => {
    const before = structuredClone(enrolled);
    mergeProfileFacts(enrolled, {
      fields: { email: "x@example.com", consent: { sms: true } },
      changedAt: at(9),
    });
    expect(enrolled).toEqual(before);
  });

  it("an unsubscribe wins over any consent dated before it, and a later opt-in wins over the unsubscribe", () => {
    const unsubscribed = mergeProfileFacts(enrolled, consentWithdrawal("email", at(10))).profile;
    const stale = mergeProfileFacts(unsubscribed, {
      fields: { consent: { email: true, sms: true, push: false } },
      changedAt: at(5),
    });
    expect(stale.applied).toEqual(["consent.sms", "consent.push"]);
    expect(stale.profile.consent).toEqual({ email: false, sms: true, push: false });
    const optIn = mergeProfileFacts(stale.profile, {
      fields: { consent: { email: true } },
      changedAt: at(11),
    });
    expect(optIn.profile.consent).toMatchObject({ email: true });
  });

  it("on the same instant a withdrawal beats a grant, whichever lands first", () => {
    const grant: ProfileChange = { fields: { consent: { email: true } }, changedAt: at(10) };
    const withdrawal = consentWithdrawal("email", at(10));
    const unsubscribed = mergeProfileFacts(enrolled, withdrawal).profile;
    expect(mergeProfileFacts(unsubscribed, grant).applied).toEqual([]);
    const granted = mergeProfileFacts(enrolled, grant).profile;
    expect(mergeProfileFacts(granted, withdrawal).profile.consent).toMatchObject({ email: false });
  });

  it("a redelivered change applies nothing", () => {
    const change: ProfileChange = { fields: { email: "new@example.com" }, changedAt: at(5) };
    const once = mergeProfileFacts(enrolled, change).profile;
    expect(mergeProfileFacts(once, change)).toEqual({ profile: once, applied: [] });
  });

  it("a changed given name keeps the family name", () => {
    const renamed = mergeProfileFacts(enrolled, {
      fields: { profile: { givenName: "Janet" } },
      changedAt: at(2),
    });
    expect(renamed.profile.profile).toEqual({ givenName: "Janet", familyName: "Doe" });
  });

  it("a channel without a time of its own is compared with the time of the whole consent (older profiles)", () => {
    const legacy: StoredProfile = {
      consent: { email: false, sms: false, push: false },
      [CHANGED_AT_FIELD]: { consent: at(10) },
    };
    const older = mergeProfileFacts(legacy, { fields: { consent: { email: true } }, changedAt: at(9) });
    expect(older.applied).toEqual([]);
    const newer = mergeProfileFacts(legacy, { fields: { consent: { email: true } }, changedAt: at(11) });
    expect(newer.profile.consent).toEqual({ email: true, sms: false, push: false });
  });

  it("leaves a null value (cleared quiet hours) in place and never takes the stamps as a field", () => {
    const cleared = mergeProfileFacts(enrolled, {
      fields: { quietHours: null, [CHANGED_AT_FIELD]: {} },
      changedAt: at(2),
    });
    expect(cleared.applied).toEqual(["quietHours"]);
    expect(cleared.profile.quietHours).toBeNull();
  });

  const apply = (list: readonly ProfileChange[]) =>
    list.reduce<StoredProfile>((profile, c) => mergeProfileFacts(profile, c).profile, enrolled);
  const inTwoOrders = <T>(items: fc.Arbitrary<T[]>) =>
    items.chain((list) =>
      fc.tuple(
        fc.constant(list),
        fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
      ),
    );
  const minute = fc.integer({ min: 0, max: 40 }).map((m) => at(2, m));
  const consent = fc.record(
    { email: fc.boolean(), sms: fc.boolean(), push: fc.boolean() },
    { requiredKeys: [] },
  );

  it("converges: any order of the same changes gives the same profile", () => {
    const change = fc.record({
      fields: fc.record(
        {
          email: fc.constantFrom("a@example.com", "b@example.com", "c@example.com"),
          timeZone: fc.constantFrom("Europe/Paris", "Asia/Tokyo"),
          consent,
        },
        { requiredKeys: [] },
      ),
      changedAt: minute,
    });
    // Distinct instants: two different values at the same instant keep whichever was stored first.
    const changes = fc.uniqueArray(change, { maxLength: 8, selector: (c) => c.changedAt });
    fc.assert(
      fc.property(inTwoOrders(changes), ([one, other]) => {
        expect(apply(other)).toEqual(apply(one));
      }),
    );
  });

  it("converges on consent even when changes share an instant", () => {
    const change = fc.record({ fields: fc.record({ consent }), changedAt: fc.constantFrom(at(2), at(3)) });
    fc.assert(
      fc.property(inTwoOrders(fc.array(change, { maxLength: 8 })), ([one, other]) => {
        expect(apply(other).consent).toEqual(apply(one).consent);
      }),
    );
  });
});
