import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyInteraction,
  checkEventTime,
  type EventTimeKind,
  type InteractionFacts,
  lateArrivalDays,
  parseProgram,
  spendableBalance,
} from "../../../domain";
import { member, plainProgram, programWith } from "./fixtures";

const NOW = "2025-03-28T12:00:00.000Z";
const MINUTE = 60_000;
const DAY = 86_400_000;
const shifted = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const KINDS: EventTimeKind[] = ["purchase", "refund", "interaction", "member-enrolled", "member-updated"];
const LATE_WINDOW_KINDS: EventTimeKind[] = ["purchase", "interaction"];

describe("time policy in the program", () => {
  it("defaults to 5 minutes of clock skew and a late window of the pending period", () => {
    const program = programWith();
    expect(program.timePolicy).toEqual({ maxClockSkewSeconds: 300 });
    expect(lateArrivalDays(program)).toBe(30);
  });

  it("takes at least one day when points are spendable at once, and an explicit window over the default", () => {
    expect(lateArrivalDays(programWith((p) => Object.assign(p.earning, { pendingDays: 0 })))).toBe(1);
    expect(
      lateArrivalDays(programWith((p) => Object.assign(p, { timePolicy: { lateArrivalDays: 90 } }))),
    ).toBe(90);
  });

  it("rejects a negative skew and an empty late window, naming the field", () => {
    const bad = parseProgram({
      ...programWith(),
      timePolicy: { maxClockSkewSeconds: -1, lateArrivalDays: 0 },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.path).sort()).toEqual([
      "timePolicy.lateArrivalDays",
      "timePolicy.maxClockSkewSeconds",
    ]);
  });
});

describe("checkEventTime", () => {
  const program = programWith();
  const check = (offsetMs: number, kind: EventTimeKind) =>
    checkEventTime({ program, occurredAt: shifted(offsetMs), now: NOW, kind });

  it("accepts an event up to the skew ahead, and rejects every kind beyond it", () => {
    for (const kind of KINDS) {
      expect(check(5 * MINUTE, kind), kind).toEqual({ ok: true });
      expect(check(5 * MINUTE + 1, kind), kind).toMatchObject({ ok: false, reason: "occurred-in-future" });
    }
  });

  it("rejects purchases and interactions older than the window; refunds and profile events are exempt", () => {
    for (const kind of KINDS) {
      expect(check(-30 * DAY, kind), kind).toEqual({ ok: true });
      const late = check(-30 * DAY - 1, kind);
      if (LATE_WINDOW_KINDS.includes(kind)) expect(late, kind).toMatchObject({ reason: "arrived-too-late" });
      else expect(late, kind).toEqual({ ok: true });
    }
  });

  it("explains the rejection without the event's value", () => {
    const occurredAt = "2099-01-01T00:00:00Z";
    const result = checkEventTime({ program, occurredAt, now: NOW, kind: "purchase" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/more than 300 seconds ahead/);
    expect(result.message).not.toContain("2099");
  });

  it("accepts exactly the interval [now - window, now + skew] for purchases and interactions (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -400 * DAY, max: 400 * DAY }),
        fc.integer({ min: 0, max: 86_400 }),
        fc.option(fc.integer({ min: 1, max: 365 }), { nil: undefined }),
        fc.integer({ min: 0, max: 365 }),
        fc.constantFrom(...KINDS),
        (offsetMs, skewSeconds, windowDays, pendingDays, kind) => {
          const custom = programWith((p) => {
            p.earning.pendingDays = pendingDays;
            p.timePolicy = { maxClockSkewSeconds: skewSeconds, lateArrivalDays: windowDays };
          });
          const window = (windowDays ?? Math.max(1, pendingDays)) * DAY;
          const result = checkEventTime({ program: custom, occurredAt: shifted(offsetMs), now: NOW, kind });
          const future = offsetMs > skewSeconds * 1000;
          const late = LATE_WINDOW_KINDS.includes(kind) && offsetMs < -window;
          if (future) expect(result).toMatchObject({ ok: false, reason: "occurred-in-future" });
          else if (late) expect(result).toMatchObject({ ok: false, reason: "arrived-too-late" });
          else expect(result).toEqual({ ok: true });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("interaction caps apply to the period the interaction belongs to", () => {
  const program = plainProgram();
  const review = (n: number, occurredAt: string): InteractionFacts => ({
    sourceKey: `interaction:r-${n}`,
    interactionId: `r-${n}`,
    kind: "review-written",
    occurredAt,
  });

  it("ten reviews dated last month, inside the late window, earn the monthly cap (3 × 25) and no more", () => {
    let state = member(program);
    state = applyInteraction(state, program, review(0, "2025-03-27T10:00:00Z"), { now: NOW }).state;
    let earned = 0;
    for (let n = 1; n <= 10; n += 1) {
      const result = applyInteraction(state, program, review(n, `2025-02-27T${10 + n}:00:00Z`), { now: NOW });
      earned += result.entries.reduce((sum, entry) => sum + entry.points, 0);
      state = result.state;
    }
    expect(earned).toBe(75);
    expect(spendableBalance(state)).toBe(100);
    expect(state.interactions).toEqual(
      expect.arrayContaining([
        { kind: "review-written", period: "month", periodKey: "2025-02", count: 3, points: 75 },
        { kind: "review-written", period: "month", periodKey: "2025-03", count: 1, points: 25 },
      ]),
    );
  });

  it("keeps counters only for periods that can still receive events (state stays bounded)", () => {
    let state = member(program);
    // A daily login over 60 days, each processed as it happens.
    for (let day = 0; day < 60; day += 1) {
      const at = new Date(Date.parse("2025-02-01T09:00:00Z") + day * DAY).toISOString();
      const login = { ...review(day, at), kind: "app-login", sourceKey: `interaction:l-${day}` };
      state = applyInteraction(state, program, login, { now: at }).state;
    }
    // Last login 1 April; the 30-day window reaches back to 2 March, so March and April stay, February goes.
    const days = state.interactions.filter((c) => c.period === "day").map((c) => c.periodKey);
    expect(days).toHaveLength(31);
    expect(days[0]).toBe("2025-03-02");
    expect(days.at(-1)).toBe("2025-04-01");
  });
});
