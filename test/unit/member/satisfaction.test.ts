import { describe, expect, it } from "vitest";
import { applyInteraction, type InteractionFacts, type MemberState } from "../../../domain";
import { retentionFacts } from "../../../domain/member/retention-facts";
import { detractorReason, MAX_COMMENT_LENGTH, surveyAnswers } from "../../../domain/member/satisfaction";
import { decideTriggers } from "../../../domain/retention/triggers";
import { interactionRecordedSchema } from "../../../events/inbound/interaction-recorded";
import { member, programWith } from "../domain/fixtures";

// Satisfaction facts and service cases: detractor thresholds, one case at a time, closure by resolution, the
// bounded comment kept in the ledger entry only, and the service-recovery trigger due the day the case opens.

const program = programWith();
const thresholds = { detractorNpsAtMost: 6, detractorCsatAtMost: 2 };

const interaction = (
  id: string,
  kind: string,
  occurredAt: string,
  attributes?: InteractionFacts["attributes"],
): InteractionFacts => ({
  sourceKey: `interaction:src:${id}`,
  interactionId: id,
  kind,
  occurredAt,
  ...(attributes && { attributes }),
});

const filedOn = (state: MemberState, dueOn: string): MemberState => ({
  ...state,
  retention: { ...state.retention, dueOn },
});

describe("detractor thresholds", () => {
  it.each([
    [{ npsScore: 6 }, "nps-detractor"],
    [{ npsScore: 7 }, undefined],
    [{ csatScore: 2 }, "csat-detractor"],
    [{ csatScore: 3 }, undefined],
    [{ npsScore: 9, csatScore: 1 }, "csat-detractor"],
    [{}, undefined],
  ])("%j → %s", (answers, reason) => {
    expect(detractorReason(answers, thresholds)).toBe(reason);
  });

  it("ignores out-of-range or mistyped scores and bounds the comment", () => {
    const long = "x".repeat(MAX_COMMENT_LENGTH + 50);
    expect(surveyAnswers({ npsScore: 11, csatScore: "1", comment: long })).toEqual({
      comment: "x".repeat(MAX_COMMENT_LENGTH),
    });
  });
});

describe("service cases", () => {
  const start = filedOn(member(program), "2025-06-01");

  it("a detractor survey keeps the scores, opens a case due today and emits Service Recovery Needed", () => {
    const survey = interaction("s-1", "survey-answered", "2025-03-10T10:00:00Z", {
      npsScore: 4,
      comment: "Rude staff",
    });
    const { state, entries, outbound } = applyInteraction(start, program, survey, {
      now: "2025-03-10T10:00:05Z",
    });
    expect(state.satisfaction).toEqual({
      nps: { score: 4, at: "2025-03-10T10:00:00Z" },
      serviceCase: { caseId: "s-1", reason: "nps-detractor", openedAt: "2025-03-10T10:00:00Z" },
    });
    expect(state.retention.dueOn).toBe("2025-03-10");
    expect(entries.at(-1)?.details).toMatchObject({ survey: { npsScore: 4, comment: "Rude staff" } });
    const notice = outbound.filter((e) => e.type === "Service Recovery Needed");
    expect(notice).toHaveLength(1);
    expect(JSON.stringify(notice)).not.toContain("Rude");
    expect(JSON.stringify(state)).not.toContain("Rude");
    const due = decideTriggers(retentionFacts(state, program, "2025-03-10"), program.retention, "2025-03-10");
    expect(due.map((t) => t.messageKey)).toContain(`msg:${state.memberId}:service-recovery:s-1`);
  });

  it("a promoter survey records scores without a case; a later-arriving older survey does not replace them", () => {
    const now = { now: "2025-03-12T00:00:00Z" };
    const first = applyInteraction(
      start,
      program,
      interaction("s-1", "survey-answered", "2025-03-11T10:00:00Z", { npsScore: 9, csatScore: 5 }),
      now,
    );
    expect(first.outbound.some((e) => e.type === "Service Recovery Needed")).toBe(false);
    expect(first.state.retention.dueOn).toBe("2025-06-01");
    const late = applyInteraction(
      first.state,
      program,
      interaction("s-0", "survey-answered", "2025-03-01T10:00:00Z", { npsScore: 8 }),
      now,
    );
    expect(late.state.satisfaction?.nps).toEqual({ score: 9, at: "2025-03-11T10:00:00Z" });
  });

  it("keeps where each score was given (channel, store) for the KPIs by channel and store", () => {
    const survey = {
      ...interaction("s-9", "survey-answered", "2025-03-11T10:00:00Z", { npsScore: 9, csatScore: 5 }),
      channel: "pos" as const,
      storeId: "store-042",
    };
    const { state } = applyInteraction(start, program, survey, { now: "2025-03-12T00:00:00Z" });
    expect(state.satisfaction?.nps).toEqual({
      score: 9,
      at: "2025-03-11T10:00:00Z",
      channel: "pos",
      storeId: "store-042",
    });
    expect(state.satisfaction?.csat).toMatchObject({ channel: "pos", storeId: "store-042" });
  });

  it("opens one case at a time; complaint-resolved naming it closes it without a second message", () => {
    const now = { now: "2025-03-10T12:00:00Z" };
    const opened = applyInteraction(
      start,
      program,
      interaction("c-1", "complaint-opened", "2025-03-10T10:00:00Z", { complaintId: "T-9" }),
      now,
    );
    expect(opened.state.satisfaction?.serviceCase).toMatchObject({ caseId: "T-9", reason: "complaint" });
    const again = applyInteraction(
      opened.state,
      program,
      interaction("s-2", "survey-answered", "2025-03-10T11:00:00Z", { csatScore: 1 }),
      now,
    );
    expect(again.outbound.some((e) => e.type === "Service Recovery Needed")).toBe(false);
    expect(again.state.satisfaction?.serviceCase?.caseId).toBe("T-9");

    const other = applyInteraction(
      again.state,
      program,
      interaction("r-0", "complaint-resolved", "2025-03-11T09:00:00Z", { complaintId: "T-other" }),
      now,
    );
    expect(other.state.satisfaction?.serviceCase?.closedAt).toBeUndefined();
    const closed = applyInteraction(
      again.state,
      program,
      interaction("r-1", "complaint-resolved", "2025-03-11T10:00:00Z", { complaintId: "T-9" }),
      { now: "2025-03-11T10:00:01Z" },
    );
    expect(closed.state.satisfaction?.serviceCase).toMatchObject({
      caseId: "T-9",
      closedAt: "2025-03-11T10:00:00Z",
    });
    // No resolution occasion is recorded: the apology belongs to the opening.
    expect(closed.state.retention.complaintsResolved).toBeUndefined();
  });
});

describe("inbound survey attributes", () => {
  const detail = (attributes: Record<string, unknown>) => ({
    schemaVersion: "1",
    interactionId: "s-1",
    memberId: "m-1",
    kind: "survey-answered",
    occurredAt: "2025-03-10T10:00:00Z",
    attributes,
  });

  it("names the field, never the value", () => {
    const result = interactionRecordedSchema.safeParse(
      detail({ npsScore: 12.5, csatScore: 0, comment: "ok" }),
    );
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues.map((i) => i.path.join("."))).toEqual(["attributes.npsScore", "attributes.csatScore"]);
    expect(issues.map((i) => i.message).join(" ")).not.toMatch(/12\.5/);
    expect(interactionRecordedSchema.safeParse(detail({ comment: "y".repeat(257) })).success).toBe(false);
    expect(interactionRecordedSchema.safeParse(detail({ npsScore: 0, csatScore: 5 })).success).toBe(true);
  });
});
