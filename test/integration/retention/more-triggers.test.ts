import { afterEach, describe, expect, it } from "vitest";
import { type ParsedInbound, parseInbound } from "../../../events/envelope";
import type { Inbound } from "../../../functions/pipeline/inbound";
import type { PipelineDeps, StoredState } from "../../../functions/pipeline/ports";
import { processEnrolment } from "../../../functions/pipeline/process-enrolment";
import { processInteraction } from "../../../functions/pipeline/process-interaction";
import { processMemberUpdate } from "../../../functions/pipeline/process-member-update";
import { createLogger } from "../../../functions/shared/logger";
import { enrolment, envelope, interaction } from "../pipeline/events";
import { type Bench, memberOf, startBench, testProgram } from "./harness";

// Service recovery, milestone and birthday e-mails end to end: the pipeline records the occasion in the member's
// state and files them for the right day; the daily job then sends the message. Each member has their own
// occasion, so the frequency cap never interferes. Members enrol on 1 January and buy on 2 January (at risk
// from 16 February), which keeps every other trigger quiet in January.

const program = testProgram((p) => {
  if (p.retention) p.retention.holdout = { percent: 0 };
  p.milestones = [
    ...(p.milestones ?? []),
    {
      ruleId: "third-purchase",
      name: "3rd purchase",
      metric: "purchaseCount",
      threshold: 3,
      bonusPoints: 30,
    },
  ];
});
let bench: Bench | undefined;

afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

function pipeline(b: Bench, now: string): PipelineDeps {
  return {
    members: b.members,
    programs: { inEffectAt: async () => b.program },
    clock: () => new Date(now),
    logger: createLogger({ logLevel: "ERROR" }),
    refundLookbackDays: 400,
  };
}

function parsed<Id extends ParsedInbound["id"]>(id: Id, event: unknown): Inbound<Id> {
  const result = parseInbound(event);
  if (!result.ok || result.id !== id) throw new Error(`not a valid ${id}: ${JSON.stringify(result)}`);
  return result as Inbound<Id>;
}

async function dueOn(b: Bench, memberId: string): Promise<string | undefined> {
  return (await b.members.getMember<StoredState>(memberId))?.state.retention.dueOn;
}

async function mailFor(b: Bench, memberId: string) {
  return (await b.emails()).filter((e) => memberOf(e) === memberId);
}

describe("occasion e-mails", () => {
  it("sends service recovery the day after a resolved complaint, and a milestone the day after it is reached", async () => {
    const b = await startBench(program);
    bench = b;
    for (const id of ["m-complaint", "m-milestone"]) {
      await b.enrol(id, "2025-01-01T09:00:00.000Z");
      await b.purchase(id, "2025-01-02T12:00:00.000Z", 4200);
    }
    // Three orders on one day: one visit, so the member keeps the default rhythm (no early at-risk nudge).
    await b.purchase("m-milestone", "2025-01-02T13:00:00.000Z", 4200);
    await b.purchase("m-milestone", "2025-01-02T14:00:00.000Z", 4200);
    expect(await dueOn(b, "m-milestone")).toBe("2025-01-03");

    const resolve = async (interactionId: string, at: string) => {
      const event = parsed(
        "interactionRecorded",
        interaction("m-complaint", interactionId, "complaint-resolved", at),
      );
      expect(await processInteraction(pipeline(b, at), event)).toMatchObject({
        outcome: "committed",
        entries: 1,
      });
    };
    await resolve("int-1", "2025-01-03T09:00:00.000Z");
    expect(await dueOn(b, "m-complaint")).toBe("2025-01-04");

    await b.run("2025-01-03T10:00:00.000Z");
    const milestone = await mailFor(b, "m-milestone");
    expect(milestone).toHaveLength(1);
    expect(milestone[0]?.subject).toBe("You reached a milestone at Maison & Market Rewards");
    expect(milestone[0]?.body.text).toContain("Congratulations on reaching 3rd purchase!");
    expect(await mailFor(b, "m-complaint")).toEqual([]);

    await b.run("2025-01-04T10:00:00.000Z");
    expect((await mailFor(b, "m-complaint")).map((e) => e.subject)).toEqual(["Thank you for your patience"]);

    // The goodwill rule pays once a year; a second resolution earns nothing but is still followed up, and its
    // zero-point ledger entry is what lets the state change commit.
    await resolve("int-2", "2025-01-20T09:00:00.000Z");
    const { records } = await b.members.queryLedger<{ points: number; kind: string }>("m-complaint", {});
    const interactionPoints = records
      .filter((i) => i.entry.kind === "interaction")
      .map((i) => i.entry.points);
    expect(interactionPoints.sort((x, y) => x - y)).toEqual([0, 150]);
    expect(await dueOn(b, "m-complaint")).toBe("2025-01-21");
    await b.run("2025-01-21T10:00:00.000Z");
    expect(await mailFor(b, "m-complaint")).toHaveLength(2);
  });

  it("sends the birthday e-mail on the birthday, from an enrolment or an update", async () => {
    const b = await startBench(program);
    bench = b;
    // A Member Updated that gives only a birthday, handled a second after it was sent.
    const updateBirthday = (memberId: string, occurredAt: string, birthday: string) =>
      processMemberUpdate(
        pipeline(b, new Date(Date.parse(occurredAt) + 1000).toISOString()),
        parsed(
          "memberUpdated",
          envelope("Member Updated", { schemaVersion: "1", memberId, occurredAt, birthday }),
        ),
      );
    const at = "2025-01-01T09:00:00.000Z";
    const enrolled = enrolment("m-born", at, `m-born@${b.domain}`);
    enrolled.detail.birthday = "1990-01-12";
    await processEnrolment(pipeline(b, at), parsed("memberEnrolled", enrolled));
    await b.enrol("m-updated", at);
    for (const id of ["m-born", "m-updated"]) await b.purchase(id, "2025-01-02T12:00:00.000Z", 4200);
    // Filed under the at-risk day; the update alone brings the member forward to the birthday.
    expect(await dueOn(b, "m-updated")).toBe("2025-02-16");
    await updateBirthday("m-updated", "2025-01-03T08:00:00.000Z", "--01-15");

    // A birthday stored before the enrolment (the update came first) is the new member's too.
    await updateBirthday("m-early", "2024-12-31T08:00:00.000Z", "--03-02");
    await processEnrolment(pipeline(b, at), parsed("memberEnrolled", enrolment("m-early", at)));
    const earlyState = await b.members.getMember<StoredState>("m-early");
    expect(earlyState?.state.retention.birthday).toBe("--03-02");

    const stored = await b.members.getMember<StoredState>("m-born");
    expect(stored?.state.retention.birthday).toBe("--01-12");
    expect(JSON.stringify(stored?.state)).not.toContain("1990");
    expect(await dueOn(b, "m-born")).toBe("2025-01-12");
    expect(await dueOn(b, "m-updated")).toBe("2025-01-15");

    await b.run("2025-01-11T10:00:00.000Z");
    expect(await b.emails()).toEqual([]);
    await b.run("2025-01-12T10:00:00.000Z");
    expect((await b.emails()).map((e) => [memberOf(e), e.subject])).toEqual([
      ["m-born", "Happy birthday from Maison & Market Rewards!"],
    ]);
    await b.run("2025-01-15T10:00:00.000Z");
    expect((await mailFor(b, "m-updated")).map((e) => e.subject)).toEqual([
      "Happy birthday from Maison & Market Rewards!",
    ]);
  });
});
