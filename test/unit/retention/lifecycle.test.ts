import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  evaluateLifecycle,
  LEGAL_TRANSITIONS,
  onPurchase,
  stageDays,
} from "../../../domain/retention/lifecycle";
import type { RetentionState } from "../../../domain/retention/retention-state";
import { addDays } from "../../../domain/time";
import { config, retention } from "./fixtures";

const cfg = config(); // default gap 30 → at risk after 45 days, lapsed after 90, churned 60 days after lapsing

describe("lifecycle stages", () => {
  it("moves a new member without a second purchase to at-risk, lapsed and churned", () => {
    let state = retention({ rhythm: { purchaseDays: 1, firstDay: "2025-01-01", lastDay: "2025-01-01" } });
    expect(evaluateLifecycle(state, cfg, "2025-02-14T12:00:00Z").transitions).toEqual([]);
    const atRisk = evaluateLifecycle(state, cfg, "2025-02-15T12:00:00Z");
    expect(atRisk.transitions).toEqual([
      {
        from: "new",
        to: "at-risk",
        on: "2025-02-15",
        reason: "no purchase for 45 days; expected every 30 days (program-default)",
      },
    ]);
    state = atRisk.state;
    state = evaluateLifecycle(state, cfg, "2025-04-01T00:00:00Z").state;
    expect(state).toMatchObject({ stage: "lapsed", stageSince: "2025-04-01", winBackStepsDone: 0 });
    expect(stageDays(state, cfg).churnOn).toBe("2025-05-31");
    expect(evaluateLifecycle(state, cfg, "2025-05-30T00:00:00Z").transitions).toEqual([]);
    expect(evaluateLifecycle(state, cfg, "2025-05-31T00:00:00Z").transitions).toEqual([
      {
        from: "lapsed",
        to: "churned",
        on: "2025-05-31",
        reason: "win-back journey ended without a purchase",
      },
    ]);
  });

  it("takes one legal step at a time when several are due at once", () => {
    const state = retention({
      stage: "active",
      rhythm: { purchaseDays: 1, lastDay: "2025-01-01", firstDay: "2025-01-01" },
    });
    const { transitions } = evaluateLifecycle(state, cfg, "2025-06-01T00:00:00Z");
    expect(transitions.map((t) => `${t.from}>${t.to}`)).toEqual(["active>at-risk", "at-risk>lapsed"]);
  });

  it("makes a member active on their second purchase day", () => {
    const first = onPurchase(retention(), "2025-01-01T10:00:00Z", cfg);
    expect(first.state.stage).toBe("new");
    const sameDay = onPurchase(first.state, "2025-01-01T18:00:00Z", cfg);
    expect(sameDay.transitions).toEqual([]);
    const second = onPurchase(sameDay.state, "2025-01-09T10:00:00+01:00", cfg);
    expect(second.transitions).toEqual([
      { from: "new", to: "active", on: "2025-01-09", reason: "repeat purchase" },
    ]);
  });

  it("wins back a lapsed member whose win-back e-mail converted, and reports every converted trigger", () => {
    const state = retention({
      stage: "lapsed",
      stageSince: "2025-04-01",
      winBackStepsDone: 2,
      rhythm: { purchaseDays: 1, firstDay: "2025-01-01", lastDay: "2025-01-01" },
      pending: [
        {
          family: "win-back",
          kind: "win-back-step-1",
          messageKey: "k1",
          triggeredOn: "2025-04-01",
          until: "2025-04-15",
          control: false,
        },
        {
          family: "win-back",
          kind: "win-back-step-2",
          messageKey: "k2",
          triggeredOn: "2025-04-15",
          until: "2025-04-29",
          control: false,
        },
        {
          family: "birthday",
          kind: "birthday",
          messageKey: "k3",
          triggeredOn: "2025-04-10",
          until: "2025-04-24",
          control: false,
        },
      ],
    });
    const out = onPurchase(state, "2025-04-20T09:00:00Z", cfg);
    expect(out.transitions).toEqual([
      { from: "lapsed", to: "won-back", on: "2025-04-20", reason: "purchase 5 days after win-back-step-2" },
    ]);
    expect(out.wonBack).toMatchObject({ messageKey: "k2", daysToConvert: 5, control: false });
    expect(out.conversions.map((c) => c.messageKey).sort()).toEqual(["k2", "k3"]);
    expect(out.state).toMatchObject({ stage: "won-back", winBackStepsDone: 0, pending: [] });
    expect(onPurchase(out.state, "2025-04-20T18:00:00Z", cfg).transitions).toEqual([]);
    expect(onPurchase(out.state, "2025-05-02T18:00:00Z", cfg).transitions).toEqual([
      { from: "won-back", to: "active", on: "2025-05-02", reason: "repeat purchase after being won back" },
    ]);
  });

  it("counts a control member's purchase as a control conversion, without Member Won Back", () => {
    const state = retention({
      stage: "at-risk",
      stageSince: "2025-03-01",
      pending: [
        {
          family: "at-risk-nudge",
          kind: "at-risk-nudge",
          messageKey: "k",
          triggeredOn: "2025-03-01",
          until: "2025-03-15",
          control: true,
        },
      ],
    });
    const out = onPurchase(state, "2025-03-05T09:00:00Z", cfg);
    expect(out.wonBack).toBeUndefined();
    expect(out.conversions).toEqual([
      expect.objectContaining({ messageKey: "k", control: true, daysToConvert: 4 }),
    ]);
    expect(out.transitions[0]).toMatchObject({
      to: "active",
      reason: "purchase by a control-group member (no messages sent)",
    });
  });

  it("does not convert outside the window and ignores late events dated before the current stage", () => {
    const state = retention({
      stage: "lapsed",
      stageSince: "2025-04-01",
      pending: [
        {
          family: "win-back",
          kind: "win-back-step-1",
          messageKey: "k1",
          triggeredOn: "2025-04-01",
          until: "2025-04-15",
          control: false,
        },
      ],
    });
    const late = onPurchase(state, "2025-04-16T00:00:00Z", cfg);
    expect(late.conversions).toEqual([]);
    expect(late.state.pending).toEqual([]);
    expect(late.transitions[0]).toMatchObject({
      from: "lapsed",
      to: "active",
      reason: "purchase while lapsed",
    });
    const replay = onPurchase(state, "2025-03-20T00:00:00Z", cfg);
    expect(replay.transitions).toEqual([]);
    expect(replay.state.stage).toBe("lapsed");
  });

  it("never makes an illegal transition, whatever the sequence of days and purchases", () => {
    const step = fc.record({
      days: fc.integer({ min: 0, max: 120 }),
      buys: fc.boolean(),
      pending: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state: RetentionState = retention();
        let day = "2025-01-01";
        for (const s of steps) {
          day = addDays(day, s.days);
          const before = state.stage;
          const evaluated = evaluateLifecycle(state, cfg, `${day}T06:00:00Z`);
          const all = [...evaluated.transitions];
          state = evaluated.state;
          if (s.pending) {
            const p = {
              family: "win-back" as const,
              kind: "win-back-step-1",
              messageKey: `k${day}`,
              triggeredOn: day,
              until: addDays(day, 14),
              control: false,
            };
            state = { ...state, pending: [...state.pending, p] };
          }
          if (s.buys) {
            const bought = onPurchase(state, `${day}T12:00:00Z`, cfg);
            all.push(...bought.transitions);
            state = bought.state;
          }
          let from = before;
          for (const t of all) {
            expect(t.from).toBe(from);
            expect(LEGAL_TRANSITIONS[t.from]).toContain(t.to);
            from = t.to;
          }
          expect(state.stage).toBe(from);
        }
      }),
    );
  });
});
