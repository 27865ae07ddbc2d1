import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { markTriggerHandled } from "../../../domain/retention/trigger-outcome";
import { decideTriggers, type MemberFacts } from "../../../domain/retention/triggers";
import { addDays } from "../../../domain/time";
import { config, facts, retention } from "./fixtures";

const cfg = config();
const lapsed = retention({
  stage: "lapsed",
  stageSince: "2025-04-01",
  rhythm: { purchaseDays: 1, firstDay: "2025-01-01", lastDay: "2025-01-01" },
});

const kinds = (f: MemberFacts, now: string) => decideTriggers(f, cfg, now).map((t) => t.kind);

describe("triggers", () => {
  it("nudges once when a member becomes at risk", () => {
    const atRisk = retention({
      stage: "at-risk",
      stageSince: "2025-02-15",
      rhythm: { purchaseDays: 1, lastDay: "2025-01-01", firstDay: "2025-01-01" },
    });
    const [nudge] = decideTriggers(facts({ retention: atRisk }), cfg, "2025-02-15T06:00:00Z");
    expect(nudge).toMatchObject({
      kind: "at-risk-nudge",
      messageKey: "msg:m-1:at-risk-nudge:2025-02-15",
      priority: 50,
      loyaltyCritical: false,
      holdoutApplies: true,
      dueOn: "2025-02-15",
      validUntil: "2025-03-31", // the day before the member lapses
    });
    const handled = markTriggerHandled(
      atRisk,
      nudge as never,
      { status: "sent", at: "2025-02-15T09:00:00Z" },
      cfg,
    );
    expect(decideTriggers(facts({ retention: handled }), cfg, "2025-02-16T06:00:00Z")).toEqual([]);
  });

  it("walks the win-back journey step by step, and only the latest step after a missed run", () => {
    let state = lapsed;
    const sent: string[] = [];
    for (let day = "2025-04-01"; day <= "2025-06-10"; day = addDays(day, 1)) {
      for (const t of decideTriggers(facts({ retention: state }), cfg, `${day}T06:00:00Z`)) {
        sent.push(`${day} ${t.kind} ${t.messageKey}`);
        state = markTriggerHandled(state, t, { status: "sent", at: `${day}T09:00:00Z` }, cfg);
      }
    }
    expect(sent).toEqual([
      "2025-04-01 win-back-step-1 msg:m-1:win-back-step-1:2025-04-01",
      "2025-04-15 win-back-step-2 msg:m-1:win-back-step-2:2025-04-01",
      "2025-05-01 win-back-step-3 msg:m-1:win-back-step-3:2025-04-01",
    ]);
    expect(state.winBackStepsDone).toBe(3);
    const [skipped] = decideTriggers(facts({ retention: lapsed }), cfg, "2025-05-02T06:00:00Z");
    expect(skipped).toMatchObject({
      kind: "win-back-step-3",
      details: { family: "win-back", step: 3, of: 3 },
      validUntil: "2025-05-30",
    });
  });

  it("reminds of expiring points once per expiry day, from N days before", () => {
    const f = facts({
      expiries: [
        { expiresOn: "2025-07-01", points: 120 },
        { expiresOn: "2025-08-01", points: 40 },
      ],
    });
    expect(kinds(f, "2025-06-16T06:00:00Z")).toEqual([]);
    const [reminder] = decideTriggers(f, cfg, "2025-06-17T06:00:00Z");
    expect(reminder).toMatchObject({
      kind: "points-expiring",
      priority: 100,
      loyaltyCritical: true,
      holdoutApplies: false,
      messageKey: "msg:m-1:points-expiring:2025-07-01",
      details: { family: "points-expiring", points: 120, expiresOn: "2025-07-01" },
      validUntil: "2025-06-30",
    });
    const after = {
      ...f,
      retention: markTriggerHandled(
        f.retention,
        reminder as never,
        { status: "sent", at: "2025-06-17T09:00:00Z" },
        cfg,
      ),
    };
    expect(kinds(after, "2025-06-20T06:00:00Z")).toEqual([]);
    expect(decideTriggers(after, cfg, "2025-07-18T06:00:00Z")[0]?.messageKey).toBe(
      "msg:m-1:points-expiring:2025-08-01",
    );
  });

  it("warns about a tier downgrade only while the member is short", () => {
    const tier = {
      tierId: "gold",
      keepsUntil: "2026-01-01",
      toKeep: { metric: "spendMinor" as const, required: 50_000, current: 42_000 },
    };
    const [warning] = decideTriggers(facts({ tier }), cfg, "2025-12-05T06:00:00Z");
    expect(warning).toMatchObject({
      kind: "tier-downgrade-warning",
      priority: 90,
      loyaltyCritical: true,
      details: { tierId: "gold", shortfall: 8_000, metric: "spendMinor", keepsUntil: "2026-01-01" },
    });
    expect(
      kinds(
        facts({ tier: { ...tier, toKeep: { ...tier.toKeep, current: 50_000 } } }),
        "2025-12-05T06:00:00Z",
      ),
    ).toEqual([]);
    expect(kinds(facts({ tier }), "2025-11-30T06:00:00Z")).toEqual([]);
  });

  it("sends service recovery, birthday and milestone messages, oldest first, within their windows", () => {
    const f = facts({
      birthday: "02-29",
      complaintsResolved: [
        { complaintId: "c-2", resolvedOn: "2025-02-27" },
        { complaintId: "c-1", resolvedOn: "2025-02-26" },
      ],
      milestonesReached: [{ milestoneId: "ten-visits", reachedOn: "2025-02-25" }],
    });
    const due = decideTriggers(f, cfg, "2025-02-28T06:00:00Z");
    expect(due.map((t) => t.messageKey)).toEqual([
      "msg:m-1:service-recovery:c-1",
      "msg:m-1:birthday:2025",
      "msg:m-1:milestone:ten-visits",
    ]);
    let state = f.retention;
    for (const t of due)
      state = markTriggerHandled(state, t, { status: "dropped", at: "2025-02-28T09:00:00Z" }, cfg);
    expect(
      decideTriggers({ ...f, retention: state }, cfg, "2025-03-01T06:00:00Z").map((t) => t.messageKey),
    ).toEqual(["msg:m-1:service-recovery:c-2"]);
    expect(kinds(f, "2025-03-10T06:00:00Z")).toEqual([]);
    expect(() => decideTriggers(facts({ birthday: "13-01" }), cfg, "2025-01-01T00:00:00Z")).toThrow(
      /^birthday: /,
    );
  });

  it("gives the same triggers for the same inputs, in priority order", () => {
    const f = facts({
      retention: { ...lapsed, lastFired: {} },
      expiries: [{ expiresOn: "2025-04-10", points: 10 }],
      tier: {
        tierId: "gold",
        keepsUntil: "2025-04-20",
        toKeep: { metric: "statusPoints", required: 10, current: 2 },
      },
      birthday: "04-01",
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), (offset) => {
        const now = `${addDays("2025-03-20", offset)}T06:00:00Z`;
        const a = decideTriggers(f, cfg, now);
        expect(decideTriggers(structuredClone(f), cfg, now)).toEqual(a);
        for (let i = 1; i < a.length; i++)
          expect((a[i - 1]?.priority ?? 0) >= (a[i]?.priority ?? 0)).toBe(true);
      }),
    );
    expect(kinds(f, "2025-04-01T06:00:00Z")).toEqual([
      "points-expiring",
      "tier-downgrade-warning",
      "win-back-step-1",
      "birthday",
    ]);
  });
});

describe("recording a trigger's outcome", () => {
  const [step1] = decideTriggers(facts({ retention: lapsed }), cfg, "2025-04-01T06:00:00Z");
  if (!step1) throw new Error("fixture: win-back step 1 must be due");

  it("opens a conversion window and counts the send toward the cap", () => {
    const state = markTriggerHandled(lapsed, step1, { status: "sent", at: "2025-04-01T09:00:00Z" }, cfg);
    expect(state.pending).toEqual([
      {
        family: "win-back",
        kind: "win-back-step-1",
        messageKey: step1.messageKey,
        triggeredOn: "2025-04-01",
        until: "2025-04-15",
        control: false,
      },
    ]);
    expect(state.recentSends).toEqual(["2025-04-01T09:00:00.000Z"]);
    expect(state.winBackStepsDone).toBe(1);
    expect(markTriggerHandled(state, step1, { status: "sent", at: "2025-04-01T10:00:00Z" }, cfg)).toBe(state);
  });

  it("records a control member's withheld message without counting a send", () => {
    const state = markTriggerHandled(lapsed, step1, { status: "control", at: "2025-04-01T09:00:00Z" }, cfg);
    expect(state.pending[0]?.control).toBe(true);
    expect(state.recentSends).toEqual([]);
    expect(state.winBackStepsDone).toBe(1);
  });

  it("keeps the pending list and recent sends bounded", () => {
    let state = lapsed;
    for (let i = 0; i < 20; i++) {
      const day = addDays("2025-04-01", i);
      const t = { ...step1, messageKey: `k${i}`, family: "birthday" as const };
      state = markTriggerHandled(state, t, { status: "sent", at: `${day}T09:00:00Z` }, cfg);
    }
    expect(state.pending.length).toBeLessThanOrEqual(8);
    expect(state.recentSends).toEqual(["2025-04-20T09:00:00.000Z"]);
  });
});
