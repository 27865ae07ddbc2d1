import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exampleProgram, type Program } from "../../../domain";
import {
  programInEffect,
  supersededBy,
  upcomingVersions,
  versionStatus,
} from "../../../domain/program/program-timeline";
import { planRewardChange } from "../../../domain/program/reward-change";

// Random publish sequences on a coarse minute grid (so equal effectiveFrom values are frequent), with
// the lead time the API enforces: every version after the first starts at least LEAD after it is published.

const MINUTE = 60_000;
const LEAD = MINUTE;
const T0 = Date.parse("2026-03-01T00:00:00Z");
const iso = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

interface Published {
  program: Program;
  publishedAt: number;
}

const stepArb = fc.record({
  gap: fc.integer({ min: 0, max: 4 }),
  delay: fc.integer({ min: 0, max: 6 }),
  coffeeCost: fc.constantFrom(100, 150),
});

const sequenceArb = fc.record({
  firstStart: fc.integer({ min: -5, max: 3 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 8 }),
});
type Sequence = typeof sequenceArb extends fc.Arbitrary<infer S> ? S : never;

/** Version n is published at a minute >= version n-1's; the first may start in the past. */
function publish({ firstStart, steps }: Sequence): Published[] {
  let minute = 0;
  return steps.map((step, i): Published => {
    minute += step.gap;
    const start = i === 0 ? firstStart : minute + LEAD / MINUTE + step.delay;
    const rewards = exampleProgram.rewards.map((r) =>
      r.rewardId === "free-coffee" ? { ...r, pointsCost: step.coffeeCost } : r,
    );
    // Each version has its own gold threshold, so a rebase that lost a scheduled change shows.
    const tiers = exampleProgram.tiers.map((t) => (t.id === "gold" ? { ...t, threshold: 1000 + i } : t));
    return {
      program: { ...exampleProgram, version: i + 1, effectiveFrom: iso(start), rewards, tiers },
      publishedAt: T0 + minute * MINUTE,
    };
  });
}
const programsOf = (sequence: Sequence) => publish(sequence).map((s) => s.program);

/** Every minute from before the first start to after the last: the version in effect only changes on one. */
function minutes(programs: readonly Program[]): number[] {
  const starts = programs.map((p) => (Date.parse(p.effectiveFrom) - T0) / MINUTE);
  const first = Math.min(...starts) - 1;
  return Array.from({ length: Math.max(...starts) + 2 - first }, (_, i) => first + i);
}

const inEffect = (programs: readonly Program[], minute: number) => programInEffect(programs, iso(minute));

describe("program timeline: the highest version whose effectiveFrom has passed is in effect", () => {
  it("is the highest-numbered started version, and never goes back as time advances", () => {
    fc.assert(
      fc.property(sequenceArb, (sequence) => {
        const programs = programsOf(sequence);
        let previous = 0;
        for (const minute of minutes(programs)) {
          const started = programs.filter((p) => Date.parse(p.effectiveFrom) <= T0 + minute * MINUTE);
          const expected = started.length === 0 ? undefined : Math.max(...started.map((p) => p.version));
          const version = inEffect(programs, minute)?.version;
          expect(version).toBe(expected);
          expect(version ?? 0).toBeGreaterThanOrEqual(previous);
          previous = version ?? 0;
        }
      }),
    );
  });

  it("a superseded version is never in effect; every other version is, from its effectiveFrom", () => {
    fc.assert(
      fc.property(sequenceArb, (sequence) => {
        const programs = programsOf(sequence);
        const everInEffect = new Set(minutes(programs).map((m) => inEffect(programs, m)?.version));
        for (const p of programs) {
          const by = supersededBy(programs, p);
          expect(everInEffect.has(p.version)).toBe(by === undefined);
          if (by) expect(by.version).toBeGreaterThan(p.version);
          else expect(programInEffect(programs, p.effectiveFrom)?.version).toBe(p.version);
        }
      }),
    );
  });

  it("a publish never changes the version in effect before it could take effect", () => {
    fc.assert(
      fc.property(sequenceArb, (sequence) => {
        const published = publish(sequence);
        const programs = published.map((s) => s.program);
        for (const [k, step] of published.entries()) {
          if (k === 0) continue;
          const before = programs.slice(0, k);
          const after = programs.slice(0, k + 1);
          for (const minute of minutes(after)) {
            if (T0 + minute * MINUTE >= step.publishedAt + LEAD) break;
            expect(inEffect(after, minute)?.version).toBe(inEffect(before, minute)?.version);
          }
        }
      }),
    );
  });

  it("the statuses at any time agree with the timeline", () => {
    fc.assert(
      fc.property(sequenceArb, fc.integer({ min: -6, max: 40 }), (sequence, minute) => {
        const programs = programsOf(sequence);
        const now = iso(minute);
        const current = programInEffect(programs, now)?.version;
        const upcoming = upcomingVersions(programs, now).map((p) => p.version);
        for (const p of programs) {
          const status = versionStatus(programs, p, now);
          expect(status === "in-effect").toBe(p.version === current);
          expect(status === "scheduled").toBe(upcoming.includes(p.version) && p.version !== current);
          expect(status === "superseded").toBe(supersededBy(programs, p) !== undefined);
        }
      }),
    );
  });
});

describe("a reward change while versions are scheduled", () => {
  const arb = fc.record({
    sequence: sequenceArb,
    after: fc.integer({ min: 0, max: 10 }),
    cost: fc.constantFrom(100, 120, 150),
  });

  it("sets the reward from `from` on, keeps every scheduled change, and changes nothing before `from`", () => {
    fc.assert(
      fc.property(arb, ({ sequence, after, cost }) => {
        const history = publish(sequence);
        const programs = history.map((s) => s.program);
        const now = (history.at(-1)?.publishedAt ?? T0) + after * MINUTE;
        const from = new Date(now + LEAD).toISOString();
        const reward = { rewardId: "free-coffee", name: "Free coffee", pointsCost: cost, available: true };
        const plan = planRewardChange({ versions: programs, reward, from });
        // Refused exactly when versions that will still take effect price the reward differently.
        const upcoming = upcomingVersions(programs, from);
        const prices = new Set(
          upcoming.map((p) => p.rewards.find((r) => r.rewardId === "free-coffee")?.pointsCost),
        );
        expect(plan.ok).toBe(prices.size <= 1);
        if (!plan.ok) {
          expect(upcoming.slice(1).map((p) => p.version)).toContain(plan.conflict.version);
          return;
        }
        const published = [...programs, ...plan.versions.map((v) => v.program)];
        for (const minute of minutes(published)) {
          const t = T0 + minute * MINUTE;
          const was = inEffect(programs, minute);
          const is = inEffect(published, minute);
          if (t < Date.parse(from) || was === undefined) {
            expect(is?.version).toBe(was?.version);
            continue;
          }
          const rebased = plan.versions.find((v) => v.program.version === is?.version);
          expect(rebased?.rebases).toBe(was?.version);
          expect(is?.rewards.find((r) => r.rewardId === "free-coffee")).toEqual(reward);
          const { rewards: _a, version: _b, effectiveFrom: _c, ...rest } = is as Program;
          const { rewards: _d, version: _e, effectiveFrom: _f, ...expected } = was as Program;
          expect(rest).toEqual(expected);
        }
        for (const v of plan.versions)
          expect(Date.parse(v.program.effectiveFrom)).toBeGreaterThanOrEqual(now + LEAD);
      }),
    );
  });
});
