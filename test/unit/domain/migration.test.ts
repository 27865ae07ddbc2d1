import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  type MigratedMember,
  migrateMember,
  spendableBalance,
  tierStatus,
} from "../../../domain";
import { line, programWith, purchase } from "./fixtures";

const program = programWith();
const run = { importId: "legacy-2026", importedAt: "2026-03-10T08:00:00Z" };
const base: MigratedMember = { memberId: "m-1", enrolledAt: "2019-05-01T10:00:00+02:00", balance: 0 };

function migrated(member: Partial<MigratedMember>) {
  const outcome = migrateMember({ ...base, ...member }, program, run);
  if (!outcome.ok) throw new Error(`unexpected problems: ${JSON.stringify(outcome.problems)}`);
  return outcome;
}

describe("migrateMember", () => {
  it("writes one migration entry per lot, and the ledger sums to the balance", () => {
    const lots = [
      { points: 300, expiresOn: "2026-06-30" },
      { points: 1200, expiresOn: "2027-12-31" },
    ];
    const { state, entries, sourceKey } = migrated({ balance: 1500, lots });
    expect(state.points.lots).toEqual(lots);
    expect(spendableBalance(state)).toBe(1500);
    expect(entries.map((e) => [e.kind, e.points, e.details])).toEqual([
      ["migration", 300, { type: "migration", importId: "legacy-2026", expiresOn: "2026-06-30" }],
      ["migration", 1200, { type: "migration", importId: "legacy-2026", expiresOn: "2027-12-31" }],
    ]);
    expect(entries.reduce((sum, e) => sum + e.points, 0)).toBe(spendableBalance(state));
    expect(sourceKey).toBe("migration:legacy-2026:m-1");
    expect(new Set(entries.map((e) => e.entryId)).size).toBe(2);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        sourceKey,
        ruleIds: ["migration"],
        occurredAt: "2026-03-10T08:00:00.000Z",
      });
      expect(entry.reason).toContain("legacy-2026");
    }
  });

  it("puts a balance without lots into one lot valid per the program's expiry rule", () => {
    const { state, entries } = migrated({ balance: 640 });
    expect(state.points.lots).toEqual([{ expiresOn: "2028-03-10", points: 640 }]);
    expect(entries).toHaveLength(1);
  });

  it("records a member with nothing to carry over with one zero entry", () => {
    const { state, entries } = migrated({ balance: 0 });
    expect(spendableBalance(state)).toBe(0);
    expect(entries).toEqual([expect.objectContaining({ points: 0, statusPoints: 0, kind: "migration" })]);
  });

  it("keeps the given tier until keepsUntil, and the qualifying months in the window", () => {
    const qualifying = [
      { month: "2024-01", statusPoints: 999, spendMinor: 1 },
      { month: "2025-11", statusPoints: 700, spendMinor: 70_000 },
      { month: "2026-02", statusPoints: 500, spendMinor: 50_000 },
    ];
    const { state, entries } = migrated({
      qualifying,
      tier: { tierId: "platinum", keepsUntil: "2026-09-30" },
    });
    // The 2024 month is beyond any window (12 months plus a year of slack) and is pruned.
    expect(state.qualifying.map((q) => q.month)).toEqual(["2025-11", "2026-02"]);
    expect(state.tier).toEqual({
      tierId: "platinum",
      since: "2026-03-10T08:00:00.000Z",
      reviewOn: "2026-09-30",
    });
    expect(tierStatus(state, program, run.importedAt)).toMatchObject({
      tierId: "platinum",
      keepsUntil: "2026-09-30",
    });
    expect(entries[0]?.statusPoints).toBe(1200);
  });

  it("places a member without a tier in the tier their months reach", () => {
    const { state } = migrated({ qualifying: [{ month: "2026-01", statusPoints: 1500, spendMinor: 0 }] });
    expect(state.tier.tierId).toBe("gold");
    expect(state.tier.reviewOn).toBe("2027-03-10");
  });

  it("carries punch-card progress, which the next purchase continues", () => {
    const { state } = migrated({ punchCards: [{ ruleId: "coffee-card", punches: 8 }] });
    expect(state.frequency.punchCards).toEqual([{ ruleId: "coffee-card", punches: 8 }]);
    const after = applyPurchase(
      state,
      program,
      purchase("P-1", "2026-03-11T09:00:00Z", [line("COF-1", "coffee", 500)]),
      {
        now: "2026-03-11T09:00:00Z",
      },
    );
    expect(after.state.rewards.unlocked.length).toBeGreaterThan(0);
  });

  it("starts retention on the import day and files the member under a due day not in the past", () => {
    const { state } = migrated({ balance: 10 });
    expect(state.enrolledAt).toBe("2019-05-01T08:00:00.000Z");
    expect(state.retention).toMatchObject({ enrolledOn: "2026-03-10", stage: "new" });
    expect(state.retention.dueOn > "2026-03-10").toBe(true);
  });

  it("carries unlocked rewards the member has not used yet", () => {
    const { state } = migrated({ unlockedRewards: [{ rewardId: "free-coffee", count: 2 }] });
    expect(state.rewards.unlocked).toEqual([{ rewardId: "free-coffee", count: 2 }]);
  });

  it("proposes the very same state and entries on a re-run of the same import", () => {
    const member = { ...base, balance: 90, lots: [{ points: 90, expiresOn: "2026-12-31" }] };
    expect(migrateMember(member, program, run)).toEqual(migrateMember(member, program, run));
  });

  it("names each field the program or the import day rules out", () => {
    const outcome = migrateMember(
      {
        ...base,
        enrolledAt: "2026-04-01T00:00:00Z",
        balance: 100,
        lots: [
          { points: 60, expiresOn: "2026-03-10" },
          { points: 60, expiresOn: "2026-03-10" },
        ],
        qualifying: [{ month: "2026-04", statusPoints: 1, spendMinor: 0 }],
        tier: { tierId: "diamond", keepsUntil: "2026-01-01" },
        punchCards: [
          { ruleId: "no-such-card", punches: 1 },
          { ruleId: "coffee-card", punches: 9 },
        ],
        unlockedRewards: [{ rewardId: "yacht", count: 1 }],
      },
      program,
      run,
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => p.field).sort()).toEqual([
      "enrolled_at",
      "lots",
      "lots",
      "lots",
      "punch_cards",
      "punch_cards",
      "qualifying",
      "tier",
      "tier_keeps_until",
      "unlocked_rewards",
    ]);
  });
});
