import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidFacts, type MemberState, spendableBalance } from "../../../domain";
import {
  type Grant,
  grantLiability,
  grantNeedsApproval,
  grantPoints,
  grantSourceKey,
  inAudience,
} from "../../../domain/grants/grant-points";
import { member, plainProgram } from "./fixtures";

const program = plainProgram((i) => {
  i.expiry = { ...i.expiry, validityMonths: 12 };
});
const now = "2025-05-01T10:00:00Z";

const grant = (overrides: Partial<Grant> = {}): Grant => ({
  grantId: "g-1",
  points: 250,
  reason: "Sorry the app was down",
  audience: { kind: "tier", tierId: member(program).tier.tierId },
  actor: "marketer-a",
  ...overrides,
});

const scored = (state: MemberState, segment: string): MemberState => ({
  ...state,
  scores: {
    segment,
    recency: 3,
    frequency: 3,
    monetary: 3,
    probabilityAlive: 0.5,
    expectedOrderValueMinor: 1000,
    clvMinor: 5000,
    scoredOn: "2025-04-30",
    modelVersion: "m",
  },
});

describe("bulk grant decision", () => {
  it("credits one lot and one grant entry keyed on (grant, member), with the reason and the grant's rule", () => {
    const decision = grantPoints(member(program), program, grant({ approvedBy: "marketer-b" }), now);
    if (decision.kind !== "grant") throw new Error("expected a grant");
    const entry = decision.result.entries.at(-1);
    expect(entry).toMatchObject({
      entryId: "grant:g-1:m-1",
      sourceKey: "grant:g-1:m-1",
      kind: "grant",
      points: 250,
      statusPoints: 0,
      reason: "Grant by marketer-a (approved by marketer-b): Sorry the app was down",
      ruleIds: ["grant-g-1"],
      details: { type: "grant", grantId: "g-1", expiresOn: "2026-05-01", approvedBy: "marketer-b" },
    });
    expect(spendableBalance(decision.result.state)).toBe(250);
    expect(decision.result.outbound.map((e) => e.type)).toContain("Points Earned");
  });

  it("uses the grant's own expiry day when it has one", () => {
    const decision = grantPoints(member(program), program, grant({ expiresOn: "2025-12-31" }), now);
    if (decision.kind !== "grant") throw new Error("expected a grant");
    expect(decision.result.state.points.lots).toEqual([{ expiresOn: "2025-12-31", points: 250 }]);
  });

  it("refuses a grant whose points, reason or expiry cannot be granted, naming the field", () => {
    const base = member(program);
    expect(() => grantPoints(base, program, grant({ points: 0 }), now)).toThrow(InvalidFacts);
    expect(() => grantPoints(base, program, grant({ points: 1.5 }), now)).toThrow(/points/);
    expect(() => grantPoints(base, program, grant({ reason: "  " }), now)).toThrow(/reason/);
    expect(() => grantPoints(base, program, grant({ expiresOn: "2025-05-01" }), now)).toThrow(/expiresOn/);
  });

  it("judges eligibility by segment, tier, stage or list on the member as stored", () => {
    const base = member(program);
    expect(inAudience({ kind: "segment", segment: "champions" }, scored(base, "champions"))).toBe(true);
    expect(inAudience({ kind: "segment", segment: "champions" }, scored(base, "at risk"))).toBe(false);
    expect(inAudience({ kind: "segment", segment: "champions" }, base)).toBe(false);
    expect(inAudience({ kind: "tier", tierId: base.tier.tierId }, base)).toBe(true);
    expect(inAudience({ kind: "tier", tierId: "no-such-tier" }, base)).toBe(false);
    expect(inAudience({ kind: "stage", stage: base.retention.stage }, base)).toBe(true);
    expect(inAudience({ kind: "stage", stage: "churned" }, base)).toBe(false);
    expect(inAudience({ kind: "list", size: 3 }, base)).toBe(true);
    // A merged member's forwarding record is in no audience: the person gets one share, as the member kept.
    const merged: MemberState = { ...base, status: "merged", mergedInto: "m-2" };
    expect(inAudience({ kind: "tier", tierId: base.tier.tierId }, merged)).toBe(false);
    expect(inAudience({ kind: "list", size: 3 }, merged)).toBe(false);
    const outside = grantPoints(base, program, grant({ audience: { kind: "stage", stage: "churned" } }), now);
    expect(outside).toEqual({ kind: "not-eligible" });
  });

  it("derives the entry id from grant and member only: a retry at any later time makes the same id", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,22}$/),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 300 * 86_400_000 }),
        (grantId, points, laterMs) => {
          const first = grantPoints(member(program), program, grant({ grantId, points }), now);
          const retried = grantPoints(
            member(program),
            program,
            grant({ grantId, points }),
            new Date(Date.parse(now) + laterMs),
          );
          if (first.kind !== "grant" || retried.kind !== "grant") return false;
          const [a, b] = [first.result.entries.at(-1), retried.result.entries.at(-1)];
          return (
            a?.entryId === b?.entryId && a?.entryId === grantSourceKey(grantId, "m-1") && a?.points === points
          );
        },
      ),
    );
  });

  it("needs approval when the total points, not the points per member, pass the threshold", () => {
    const controls = { approvalThreshold: 5_000 };
    expect(grantNeedsApproval(grantLiability(10, 500, 1).points, controls)).toBe(false);
    expect(grantNeedsApproval(grantLiability(10, 501, 1).points, controls)).toBe(true);
    expect(grantLiability(10, 20_000, 0.5)).toEqual({ points: 200_000, costMinor: 100_000 });
  });
});
