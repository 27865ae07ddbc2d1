import { describe, expect, it } from "vitest";
import { enrolMember } from "../../../domain";
import { kpiFacts } from "../../../functions/analytics/kpi-inputs";
import { plainProgram } from "./fixtures";

// The enrolment channel stays on the member for the acquisition KPIs (by channel).
describe("enrolment channel", () => {
  const program = plainProgram();

  it("is kept on the state when the enrolment names it, and read by the KPI inputs", () => {
    const { state } = enrolMember("m-1", "2025-03-01T10:00:00Z", program, { channel: "web" });
    expect(state.enrolledVia).toBe("web");
    expect(kpiFacts(state)).toMatchObject({ channel: "web", enrolledOn: "2025-03-01", stage: "new" });
  });

  it("is absent otherwise, and counts as unknown", () => {
    const { state } = enrolMember("m-1", "2025-03-01T10:00:00Z", program);
    expect("enrolledVia" in state).toBe(false);
    expect(kpiFacts(state).channel).toBe("unknown");
  });
});
