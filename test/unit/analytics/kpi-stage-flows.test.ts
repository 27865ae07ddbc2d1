// Stage flows (from the stage at a month's start to the stage at its end) on hand-built member histories, and
// the month-start stages the lifecycle keeps for them.
import { describe, expect, it } from "vitest";
import { enrolMember } from "../../../domain";
import { stageFlows } from "../../../domain/analytics/kpi-stage-flows";
import { evaluateLifecycle, onPurchase } from "../../../domain/retention/lifecycle";
import { type StageHistory, stageAtStartOf, withStageChange } from "../../../domain/retention/stage-months";
import { encodeState } from "../../../functions/adapters/dynamo/state-codec";
import { plainProgram } from "../domain/fixtures";
import { config, retention } from "../retention/fixtures";

const enrolled = (enrolledOn: string): StageHistory => ({ enrolledOn, stage: "new", stageSince: enrolledOn });

// A: enrolled in January, never changed.  G: churned in January.  E: lapsed in March, stored before month starts
// were kept (no `monthStart`).  C: enrolled 2 March, active on the 20th.
// B: active since February; at risk on 31 March at 09:00, after March's last nightly run (01:00).
// D: active since February, at risk on 10 March, buys at 00:30 on 1 April (active again) before April's first run.
// F: enrolled 1 April.
const A = enrolled("2026-01-05");
const G = withStageChange(
  withStageChange(enrolled("2025-10-01"), "at-risk", "2025-12-01"),
  "churned",
  "2026-01-20",
);
const E: StageHistory = { enrolledOn: "2025-12-01", stage: "lapsed", stageSince: "2026-03-15" };
const C = withStageChange(enrolled("2026-03-02"), "active", "2026-03-20");
const B0 = withStageChange(enrolled("2026-01-10"), "active", "2026-02-20");
const B1 = withStageChange(B0, "at-risk", "2026-03-31");
const D0 = withStageChange(
  withStageChange(enrolled("2026-01-15"), "active", "2026-02-03"),
  "at-risk",
  "2026-03-10",
);
const D1 = withStageChange(D0, "active", "2026-04-01");
const F = enrolled("2026-04-01");

describe("stage flows", () => {
  it("March while it lasts: the run at 01:00 on its last day misses that day's changes", () => {
    expect(stageFlows([A, B0, C, D0, E, G], "2026-03")).toEqual({
      month: "2026-03",
      flows: [
        { from: "enrolled", to: "active", members: 1 }, // C
        { from: "new", to: "new", members: 1 }, // A
        { from: "active", to: "active", members: 1 }, // B, still active at the run
        { from: "active", to: "at-risk", members: 1 }, // D
        { from: "churned", to: "churned", members: 1 }, // G
      ],
      unknown: 1, // E
    });
  });

  it("March closed on 1 April counts its last day, though D changed stage again in April", () => {
    const members = [A, B1, C, D1, E, F, G];
    expect(stageFlows(members, "2026-03")).toEqual({
      month: "2026-03",
      flows: [
        { from: "enrolled", to: "active", members: 1 }, // C
        { from: "new", to: "new", members: 1 }, // A
        { from: "active", to: "at-risk", members: 2 }, // B on the 31st, D on the 10th
        { from: "churned", to: "churned", members: 1 }, // G
      ],
      unknown: 1, // E; F enrolled in April and is not counted
    });
    expect(stageFlows(members, "2026-04")).toEqual({
      month: "2026-04",
      flows: [
        { from: "enrolled", to: "new", members: 1 }, // F
        { from: "new", to: "new", members: 1 }, // A
        { from: "active", to: "active", members: 1 }, // C
        { from: "at-risk", to: "active", members: 1 }, // D
        { from: "at-risk", to: "at-risk", members: 1 }, // B
        { from: "lapsed", to: "lapsed", members: 1 }, // E: no change since March
        { from: "churned", to: "churned", members: 1 }, // G
      ],
      unknown: 0,
    });
  });

  it("knows the stage at a month's start from the current stage, the kept month start or the one before", () => {
    expect(D1.monthStart).toEqual({ month: "2026-04", stage: "at-risk", before: "active" });
    expect(stageAtStartOf(D1, "2026-03")).toBe("active");
    expect(stageAtStartOf(D1, "2026-04")).toBe("at-risk");
    expect(stageAtStartOf(D1, "2026-05")).toBe("active");
    // Two months back is beyond what the state keeps; before enrolment there is no stage.
    expect(stageAtStartOf(D1, "2026-02")).toBeUndefined();
    expect(stageAtStartOf(D1, "2026-01")).toBeUndefined();
    // Several changes in one month keep the month's start.
    expect(withStageChange(B1, "lapsed", "2026-03-31").monthStart).toEqual(B1.monthStart);
  });
});

describe("month starts kept by the lifecycle", () => {
  const cfg = config(); // default gap 30: at risk 45 days after the last purchase
  it("records the stage at the start of each change's month, from time and from purchases", () => {
    const active = retention({
      enrolledOn: "2025-01-01",
      stage: "active",
      stageSince: "2025-01-20",
      rhythm: { purchaseDays: 3, firstDay: "2025-01-01", lastDay: "2025-01-20" },
    });
    const atRisk = evaluateLifecycle(active, cfg, "2025-03-06T09:00:00Z").state;
    expect(atRisk).toMatchObject({
      stage: "at-risk",
      stageSince: "2025-03-06",
      monthStart: { month: "2025-03", stage: "active", before: "active" },
    });
    const back = onPurchase(atRisk, "2025-04-01T00:30:00Z", cfg).state;
    expect(back).toMatchObject({
      stage: "active",
      monthStart: { month: "2025-04", stage: "at-risk", before: "active" },
    });
    expect(stageFlows([back], "2025-03").flows).toEqual([{ from: "active", to: "at-risk", members: 1 }]);
  });

  it("adds a few bytes to the encoded member item", () => {
    const { state } = enrolMember("m-000123", "2025-01-03T09:00:00Z", plainProgram(), {});
    const changed = withStageChange(state.retention, "at-risk", "2025-03-06");
    const kept = { ...state, retention: changed };
    const { monthStart: _, ...without } = changed;
    const added = encodeState(kept).length - encodeState({ ...state, retention: without }).length;
    console.info(`month-start stages add ${added} bytes to the encoded state`);
    expect(kept.retention.monthStart).toEqual({ month: "2025-03", stage: "new", before: "new" });
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(40);
  });
});
