import { describe, expect, it } from "vitest";
import { applyInteraction, applyPurchase, type InteractionFacts, type MemberState } from "../../../domain";
import { recordBirthday, retentionFacts } from "../../../domain/member/retention-facts";
import { decideTriggers } from "../../../domain/retention/triggers";
import { line, member, programWith, purchase } from "../domain/fixtures";

// Service recovery, milestone and birthday triggers fed from the member state: what each event records in the
// retention state, how it moves the due day, and the facts and triggers that come out of it.

const resolved = (id: string, occurredAt: string, attributes?: InteractionFacts["attributes"]) => ({
  sourceKey: `interaction:${id}`,
  interactionId: id,
  kind: "complaint-resolved",
  occurredAt,
  ...(attributes && { attributes }),
});

const filedOn = (state: MemberState, dueOn: string): MemberState => ({
  ...state,
  retention: { ...state.retention, dueOn },
});

describe("service recovery", () => {
  // Example program: "goodwill" gives 150 points for a resolved complaint, at most once a year.
  const program = programWith();

  it("records the resolution, brings the due day forward and yields the trigger", () => {
    const start = filedOn(member(program), "2025-06-01");
    const { state, entries } = applyInteraction(
      start,
      program,
      resolved("i-1", "2025-03-10T10:00:00Z", { complaintId: "c-7" }),
      { now: "2025-03-10T10:00:05Z" },
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: "interaction", points: 150, ruleIds: ["goodwill"] });
    expect(state.retention.complaintsResolved).toEqual([{ complaintId: "c-7", resolvedOn: "2025-03-10" }]);
    // Due today, so the next look is tomorrow (the job may have read today's bucket already).
    expect(state.retention.dueOn).toBe("2025-03-11");

    const facts = retentionFacts(state, program, "2025-03-11");
    expect(facts.complaintsResolved).toEqual([{ complaintId: "c-7", resolvedOn: "2025-03-10" }]);
    const [trigger] = decideTriggers(facts, program.retention, "2025-03-11T08:00:00Z");
    expect(trigger).toMatchObject({
      family: "service-recovery",
      messageKey: "msg:m-1:service-recovery:c-7",
      dueOn: "2025-03-10",
      validUntil: "2025-03-17",
      details: { family: "service-recovery", complaintId: "c-7" },
    });
  });

  it("writes a zero-point entry once the cap is used up, and keeps only the latest two", () => {
    let state = member(program);
    const counts: number[] = [];
    for (const [id, day] of [
      ["i-1", "2025-03-10"],
      ["i-2", "2025-04-02"],
      ["i-3", "2025-04-20"],
    ] as const) {
      const result = applyInteraction(state, program, resolved(id, `${day}T10:00:00Z`), {
        now: `${day}T10:00:01Z`,
      });
      counts.push(...result.entries.map((e) => e.points));
      state = result.state;
    }
    expect(counts).toEqual([150, 0, 0]);
    expect(state.retention.complaintsResolved).toEqual([
      { complaintId: "i-2", resolvedOn: "2025-04-02" },
      { complaintId: "i-3", resolvedOn: "2025-04-20" },
    ]);
  });

  it("leaves other interactions without a rule unrecorded", () => {
    const start = member(program);
    const result = applyInteraction(
      start,
      program,
      // complaint-opened is not one of them: it opens a service case (test/unit/member/satisfaction.test.ts).
      { ...resolved("i-9", "2025-03-10T10:00:00Z"), kind: "wishlist-updated" },
      { now: "2025-03-10T10:00:01Z" },
    );
    expect(result.entries).toEqual([]);
    expect(result.state.retention.complaintsResolved).toBeUndefined();
  });
});

describe("milestones", () => {
  const program = programWith((input) => {
    input.milestones = [
      {
        ruleId: "second-visit",
        name: "Second visit",
        metric: "purchaseCount",
        threshold: 2,
        bonusPoints: 50,
      },
    ];
  });

  it("records the day a milestone is reached and yields the trigger on the next run", () => {
    let state = member(program);
    for (const [order, at] of [
      ["o-1", "2025-02-01T10:00:00Z"],
      ["o-2", "2025-02-03T10:00:00Z"],
    ] as const)
      state = applyPurchase(state, program, purchase(order, at, [line("SKU-1", "grocery", 2000)]), {
        now: at,
      }).state;
    expect(state.retention.milestonesReached).toEqual([
      { milestoneId: "second-visit", reachedOn: "2025-02-03" },
    ]);
    expect(state.retention.dueOn).toBe("2025-02-04");

    const facts = retentionFacts(state, program, "2025-02-04");
    const triggers = decideTriggers(facts, program.retention, "2025-02-04T08:00:00Z");
    expect(triggers.map((t) => [t.family, t.details])).toEqual([
      ["milestone", { family: "milestone", milestoneId: "second-visit" }],
    ]);
  });
});

describe("birthday", () => {
  const program = programWith();
  // Enrolled on 10 March and filed under the at-risk day, 24 April, as the daily job leaves a new member.
  const enrolled = () => filedOn(member(program, "2025-03-10T09:00:00Z"), "2025-04-24");

  it("keeps only the month-day and files the member for the birthday", () => {
    const state = enrolled();
    expect(recordBirthday(state, program, "1990-04-12", "2025-03-10")).toBe(true);
    expect(state.retention.birthday).toBe("--04-12");
    expect(JSON.stringify(state)).not.toContain("1990");
    expect(state.retention.dueOn).toBe("2025-04-12");
    expect(recordBirthday(state, program, "--04-12", "2025-03-11")).toBe(false);

    const facts = retentionFacts(state, program, "2025-04-12");
    expect(facts.birthday).toBe("04-12");
    expect(decideTriggers(facts, program.retention, "2025-04-11T08:00:00Z")).toEqual([]);
    expect(decideTriggers(facts, program.retention, "2025-04-12T08:00:00Z")).toMatchObject([
      { family: "birthday", cycle: "2025", details: { birthdayOn: "2025-04-12" } },
    ]);
  });

  it("does not move a due day that is already earlier", () => {
    const state = enrolled();
    expect(recordBirthday(state, program, "--07-04", "2025-03-10")).toBe(true);
    expect(state.retention.dueOn).toBe("2025-04-24");
  });
});
