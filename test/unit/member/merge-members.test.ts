import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyInteraction,
  applyPurchase,
  enrolMember,
  type MemberState,
  pendingBalance,
  settleMember,
  spendableBalance,
} from "../../../domain";
import { mergeMembers } from "../../../domain/member/merge-members";
import {
  consentWithdrawal,
  mergeDuplicateProfile,
  mergeProfileFacts,
} from "../../../domain/member/profile-facts";
import { line, programWith, purchase } from "../domain/fixtures";

// Merging a duplicate member: every point moves (spendable with its expiry, pending with its release day, status
// points by month), the absorbed member is left a forwarding record, and consent withdrawals survive.

const program = programWith((i) => {
  i.earning.pendingDays = 14;
});
const NOW = "2025-09-01T12:00:00Z";
const request = { actor: "marketer-1", reason: "Same customer, two cards" };

/** A member with a random history of purchases and reviews between January and the end of August 2025. */
const historyArb = (memberId: string) =>
  fc
    .array(
      fc.record({
        day: fc.integer({ min: 0, max: 220 }),
        priceMinor: fc.integer({ min: 100, max: 40_000 }),
        category: fc.constantFrom("apparel", "coffee", "shoes", "bakery"),
        review: fc.boolean(),
      }),
      { maxLength: 12 },
    )
    .map((events) => {
      let state: MemberState = enrolMember(memberId, "2025-01-10T09:00:00Z", program).state;
      events
        .sort((a, b) => a.day - b.day)
        .forEach((e, i) => {
          const at = new Date(Date.parse("2025-01-11T10:00:00Z") + e.day * 86_400_000).toISOString();
          state = e.review
            ? applyInteraction(
                state,
                program,
                {
                  sourceKey: `i:${memberId}:${i}`,
                  interactionId: `${memberId}-${i}`,
                  kind: "review-written",
                  occurredAt: at,
                },
                { now: at },
              ).state
            : applyPurchase(
                state,
                program,
                purchase(`${memberId}-${i}`, at, [line("SKU", e.category, e.priceMinor)]),
                {
                  now: at,
                },
              ).state;
        });
      return state;
    });

const statusPoints = (s: MemberState) => s.qualifying.reduce((sum, b) => sum + b.statusPoints, 0);

describe("merging two members", () => {
  it("moves every point, pending point and status point, and leaves a forwarding record", () => {
    fc.assert(
      fc.property(historyArb("m-keep"), historyArb("m-dup"), (keep, dup) => {
        const [k, d] = [settleMember(keep, program, NOW).state, settleMember(dup, program, NOW).state];
        const { survivor, absorbed, moved } = mergeMembers({
          survivor: keep,
          absorbed: dup,
          program,
          request,
          now: NOW,
        });
        expect(spendableBalance(survivor.state)).toBe(spendableBalance(k) + spendableBalance(d));
        expect(pendingBalance(survivor.state)).toBe(pendingBalance(k) + pendingBalance(d));
        expect(statusPoints(survivor.state)).toBe(statusPoints(k) + statusPoints(d));
        expect(survivor.state.lifetime.purchases).toBe(k.lifetime.purchases + d.lifetime.purchases);
        expect(survivor.state.absorbed).toEqual(["m-dup"]);
        expect(absorbed.state).toMatchObject({ status: "merged", mergedInto: "m-keep" });
        expect(spendableBalance(absorbed.state) + pendingBalance(absorbed.state)).toBe(0);
        const [inEntry] = survivor.entries.filter((e) => e.kind === "merge");
        const [outEntry] = absorbed.entries.filter((e) => e.kind === "merge");
        expect(inEntry).toMatchObject({
          points: moved.points,
          statusPoints: moved.statusPoints,
          ruleIds: ["member-merge"],
        });
        expect(outEntry?.points).toBe(-moved.points || 0);
        expect(outEntry?.sourceKey).toBe(inEntry?.sourceKey);
        expect(moved.points).toBe(spendableBalance(d));
        // The survivor keeps the higher tier.
        const rank = (s: MemberState) => program.tiers.findIndex((t) => t.id === s.tier.tierId);
        expect(rank(survivor.state)).toBe(Math.max(rank(k), rank(d)));
      }),
      { numRuns: 60 },
    );
  });

  it("keeps expiry days and release days of the moved lots", () => {
    const keep = enrolMember("m-keep", "2025-01-10T09:00:00Z", program).state;
    const dup = applyPurchase(
      enrolMember("m-dup", "2025-01-10T09:00:00Z", program).state,
      program,
      purchase("O-1", "2025-08-25T10:00:00Z", [line("SKU", "apparel", 5_000)]),
      { now: "2025-08-25T10:00:00Z" },
    ).state;
    const { survivor } = mergeMembers({ survivor: keep, absorbed: dup, program, request, now: NOW });
    expect(survivor.state.points.pending).toEqual(dup.points.pending);
    expect(survivor.entries.at(-1)?.pendingPoints).toBe(pendingBalance(dup));
  });

  it("keeps each lot's issuer: a partner's points stay that partner's, and the two entries' shares cancel", () => {
    const keep = enrolMember("m-keep", "2025-01-10T09:00:00Z", program).state;
    const dup: MemberState = {
      ...enrolMember("m-dup", "2025-01-10T09:00:00Z", program).state,
      points: {
        lots: [
          { expiresOn: "2026-03-01", points: 70 },
          { expiresOn: "2026-03-01", points: 30, partner: "cafe-lumen" },
        ],
        pending: [{ availableOn: "2025-09-05", expiresOn: "2026-09-01", points: 12, partner: "velo-fuel" }],
        debt: 0,
      },
    };
    const { survivor, absorbed } = mergeMembers({
      survivor: keep,
      absorbed: dup,
      program,
      request,
      now: NOW,
    });
    expect(survivor.state.points.lots).toEqual(dup.points.lots);
    expect(survivor.state.points.pending).toEqual(dup.points.pending);
    const shares = (entries: typeof survivor.entries) => entries.find((e) => e.kind === "merge")?.partners;
    expect(shares(survivor.entries)).toEqual([
      { partnerId: "cafe-lumen", points: 30 },
      { partnerId: "velo-fuel", points: 12 },
    ]);
    expect(shares(absorbed.entries)).toEqual([
      { partnerId: "cafe-lumen", points: -30 },
      { partnerId: "velo-fuel", points: -12 },
    ]);
  });

  it("refuses the same member, a member merged already, and an empty reason, naming the field", () => {
    const keep = enrolMember("m-keep", "2025-01-10T09:00:00Z", program).state;
    const dup = enrolMember("m-dup", "2025-01-10T09:00:00Z", program).state;
    expect(() => mergeMembers({ survivor: keep, absorbed: keep, program, request, now: NOW })).toThrow(
      /memberId/,
    );
    const { absorbed } = mergeMembers({ survivor: keep, absorbed: dup, program, request, now: NOW });
    expect(() =>
      mergeMembers({ survivor: keep, absorbed: absorbed.state, program, request, now: NOW }),
    ).toThrow(/merged already/);
    expect(() =>
      mergeMembers({ survivor: absorbed.state, absorbed: keep, program, request, now: NOW }),
    ).toThrow(/survivor/);
    expect(() =>
      mergeMembers({
        survivor: keep,
        absorbed: dup,
        program,
        request: { ...request, reason: " " },
        now: NOW,
      }),
    ).toThrow(/reason/);
  });

  it("two half-full punch cards make a full one that unlocks its reward", () => {
    const card = program.punchCards[0];
    if (!card) throw new Error("the example program has a punch card");
    const half = Math.ceil(card.punchesRequired / 2);
    const withPunches = (id: string): MemberState => ({
      ...enrolMember(id, "2025-01-10T09:00:00Z", program).state,
      frequency: { punchCards: [{ ruleId: card.ruleId, punches: half }], streaks: [], milestonesReached: [] },
    });
    const { survivor } = mergeMembers({
      survivor: withPunches("a"),
      absorbed: withPunches("b"),
      program,
      request,
      now: NOW,
    });
    expect(survivor.state.frequency.punchCards[0]?.punches).toBe(2 * half - card.punchesRequired);
    expect(survivor.state.rewards.unlocked).toEqual([{ rewardId: card.rewardId, count: 1 }]);
  });
});

describe("merging two members' challenges", () => {
  it("keeps every badge and completion, and the further progress of a challenge both joined", () => {
    const base = (id: string) => enrolMember(id, "2025-01-10T09:00:00Z", program).state;
    const window = { startsAt: "2025-08-01T00:00:00Z", endsAt: "2025-09-30T00:00:00Z" };
    const keep: MemberState = {
      ...base("a"),
      challenges: {
        active: [{ challengeId: "visits", ...window, progress: 1 }],
        completed: ["spring"],
        badges: [{ badgeId: "early-bird", awardedOn: "2025-04-01" }],
      },
    };
    const dup: MemberState = {
      ...base("b"),
      challenges: {
        active: [
          { challengeId: "visits", ...window, progress: 2 },
          { challengeId: "spring", ...window, progress: 5 },
        ],
        completed: ["profile"],
        badges: [
          { badgeId: "profile-pro", awardedOn: "2025-05-01" },
          { badgeId: "early-bird", awardedOn: "2025-03-01" },
        ],
      },
    };
    const { survivor, absorbed } = mergeMembers({
      survivor: keep,
      absorbed: dup,
      program,
      request,
      now: NOW,
    });
    expect(survivor.state.challenges).toEqual({
      active: [{ challengeId: "visits", ...window, progress: 2 }],
      completed: ["spring", "profile"],
      badges: [
        { badgeId: "early-bird", awardedOn: "2025-03-01" },
        { badgeId: "profile-pro", awardedOn: "2025-05-01" },
      ],
    });
    expect(absorbed.state.challenges).toBeUndefined();
  });
});

describe("merging two profiles", () => {
  const stamped = (consent: boolean, at: string, extra: Record<string, unknown> = {}) =>
    mergeProfileFacts(undefined, { fields: { consent: { email: consent }, ...extra }, changedAt: at })
      .profile;

  it("keeps every withdrawal, stamped so no older message undoes it", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 2000 }),
        (keepConsent, dupConsent, keepMinute, dupMinute, laterMinute) => {
          const at = (m: number) => new Date(Date.parse("2025-03-01T00:00:00Z") + m * 60_000).toISOString();
          const merged = mergeDuplicateProfile(
            stamped(keepConsent, at(keepMinute)),
            stamped(dupConsent, at(dupMinute)),
          );
          const consent = (merged.consent as { email: boolean }).email;
          expect(consent).toBe(keepConsent && dupConsent);
          // A grant older than both answers never turns marketing back on.
          const grant = { fields: { consent: { email: true } }, changedAt: at(laterMinute) };
          const after = mergeProfileFacts(merged, grant).profile;
          if (!consent && laterMinute <= Math.max(keepMinute, dupMinute))
            expect((after.consent as { email: boolean }).email).toBe(false);
        },
      ),
    );
  });

  it("adds what only the duplicate knew and keeps the survivor's own facts", () => {
    const keep = mergeProfileFacts(undefined, {
      fields: { email: "a@example.com" },
      changedAt: "2025-03-01T00:00:00Z",
    }).profile;
    const dup = mergeProfileFacts(
      mergeProfileFacts(undefined, {
        fields: { email: "b@example.com", locale: "de-DE" },
        changedAt: "2025-04-01T00:00:00Z",
      }).profile,
      consentWithdrawal("email", "2025-04-02T00:00:00Z"),
    ).profile;
    const merged = mergeDuplicateProfile(keep, dup);
    expect(merged).toMatchObject({ email: "a@example.com", locale: "de-DE", consent: { email: false } });
  });
});
