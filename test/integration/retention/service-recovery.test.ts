import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import type { MemberState } from "../../../domain";
import { parseInbound } from "../../../events/envelope";
import type { Inbound } from "../../../functions/pipeline/inbound";
import type { PipelineDeps, StoredState } from "../../../functions/pipeline/ports";
import { processInteraction } from "../../../functions/pipeline/process-interaction";
import { createLogger } from "../../../functions/shared/logger";
import { envelope } from "../pipeline/events";
import { type Bench, memberOf, startBench, testProgram } from "./harness";

// Service recovery end to end: a detractor survey through the real interaction handler opens a case (one
// `Service Recovery Needed` in the outbox, the member filed under today) and the next hourly retention run
// — after the day's 09:00 run already finished, or before it — sends exactly one apology e-mail; a later run sends none, a
// `complaint-resolved` closes the case, and a member without e-mail consent gets no e-mail.

const program = testProgram((p) => {
  if (p.retention) p.retention.holdout = { percent: 0 };
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

async function interact(
  b: Bench,
  memberId: string,
  detail: { interactionId: string; kind: string; at: string; attributes?: Record<string, unknown> },
) {
  const event = envelope("Interaction Recorded", {
    schemaVersion: "1",
    interactionId: detail.interactionId,
    memberId,
    kind: detail.kind,
    occurredAt: detail.at,
    ...(detail.attributes && { attributes: detail.attributes }),
  });
  const parsed = parseInbound(event);
  if (!parsed.ok || parsed.id !== "interactionRecorded") throw new Error("not a valid interaction");
  return processInteraction(pipeline(b, detail.at), parsed as Inbound<"interactionRecorded">);
}

/** Outbound events stored with the member's ledger entries (the outbox the stream publishes). */
async function outbox(
  b: Bench,
  memberId: string,
): Promise<{ type: string; detail: Record<string, unknown> }[]> {
  const { Items = [] } = await b.client.send(
    new QueryCommand({
      TableName: b.tableName,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": { S: `MEMBER#${memberId}` } },
    }),
  );
  return Items.flatMap((item) => (unmarshall(item).outbound as { type: string; detail: never }[]) ?? []);
}

async function state(b: Bench, memberId: string): Promise<MemberState> {
  const stored = await b.members.getMember<StoredState>(memberId);
  if (!stored) throw new Error(`${memberId} missing`);
  return stored.state as MemberState;
}

const mailFor = async (b: Bench, memberId: string) =>
  (await b.emails()).filter((e) => memberOf(e) === memberId);

describe("service recovery", () => {
  it("a detractor survey opens a case: one event, one apology on the next hourly run, closed on resolution", async () => {
    const b = await startBench(program);
    bench = b;
    for (const id of ["m-detractor", "m-no-consent"]) {
      await b.enrol(id, "2025-01-01T09:00:00.000Z", {
        quietHours: null,
        ...(id === "m-no-consent" && { consent: { email: false, sms: false, push: false } }),
      });
      await b.purchase(id, "2025-01-02T12:00:00.000Z", 4200);
    }
    // The day's 09:00 run has already read today's buckets when the surveys arrive.
    await b.run("2025-01-10T09:00:00.000Z");
    const survey = { kind: "survey-answered", at: "2025-01-10T10:15:00.000Z" };
    const attributes = { npsScore: 3, csatScore: 4, comment: "The parcel arrived broken" };
    for (const id of ["m-detractor", "m-no-consent"]) {
      expect(await interact(b, id, { ...survey, interactionId: `s-${id}`, attributes })).toMatchObject({
        outcome: "committed",
      });
    }

    const events = (await outbox(b, "m-detractor")).filter((e) => e.type === "Service Recovery Needed");
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toMatchObject({
      caseId: "s-m-detractor",
      caseReason: "nps-detractor",
      npsScore: 3,
    });
    expect(JSON.stringify(events)).not.toContain("parcel");
    const opened = await state(b, "m-detractor");
    expect(opened.retention.dueOn).toBe("2025-01-10");
    expect(opened.satisfaction).toMatchObject({
      nps: { score: 3, at: survey.at },
      csat: { score: 4, at: survey.at },
      serviceCase: { caseId: "s-m-detractor", reason: "nps-detractor", openedAt: survey.at },
    });
    expect(JSON.stringify(opened)).not.toContain("parcel");

    await b.run("2025-01-10T11:00:00.000Z");
    const mail = await mailFor(b, "m-detractor");
    expect(mail.map((e) => e.subject)).toEqual(["Thank you for your patience"]);
    expect(await mailFor(b, "m-no-consent")).toEqual([]);
    await b.run("2025-01-10T12:00:00.000Z");
    await b.run("2025-01-11T09:00:00.000Z");
    expect(await mailFor(b, "m-detractor")).toHaveLength(1);

    // A second detractor answer while the case is open opens nothing more.
    await interact(b, "m-detractor", {
      ...survey,
      interactionId: "s-2",
      at: "2025-01-11T10:00:00.000Z",
      attributes,
    });
    const resolved = await interact(b, "m-detractor", {
      interactionId: "r-1",
      kind: "complaint-resolved",
      at: "2025-01-12T10:00:00.000Z",
      attributes: { complaintId: "s-m-detractor" },
    });
    expect(resolved).toMatchObject({ outcome: "committed" });
    expect((await state(b, "m-detractor")).satisfaction?.serviceCase).toMatchObject({
      caseId: "s-m-detractor",
      closedAt: "2025-01-12T10:00:00.000Z",
    });
    expect((await outbox(b, "m-detractor")).filter((e) => e.type === "Service Recovery Needed")).toHaveLength(
      1,
    );
    for (const at of ["2025-01-13T09:00:00.000Z", "2025-01-14T09:00:00.000Z"]) await b.run(at);
    // Closing the case sends nothing more: the apology went out when it opened.
    expect(await mailFor(b, "m-detractor")).toHaveLength(1);

    const { records } = await b.members.queryLedger<{ details: { survey?: unknown } }>("m-detractor", {});
    const surveys = records.map((r) => r.entry.details.survey).filter(Boolean);
    expect(surveys).toContainEqual({ npsScore: 3, csatScore: 4, comment: "The parcel arrived broken" });
  });

  it("a case opened before 09:00 UTC goes out with the next hourly run, not at 09:00; quiet hours still hold", async () => {
    const b = await startBench(program);
    bench = b;
    // The program's quiet hours are 21:00–08:00 local: 04:00 UTC is 13:00 in Tokyo (m-early) and 05:00 in
    // Paris (m-asleep, UTC+1 in January).
    for (const id of ["m-early", "m-asleep"]) {
      await b.enrol(id, "2025-01-01T09:00:00.000Z", id === "m-early" ? { timeZone: "Asia/Tokyo" } : {});
      await b.purchase(id, "2025-01-02T12:00:00.000Z", 4200);
    }
    await b.run("2025-01-09T09:00:00.000Z");
    const complaint = { kind: "complaint-opened", at: "2025-01-10T03:00:00.000Z" };
    for (const id of ["m-early", "m-asleep"])
      expect(await interact(b, id, { ...complaint, interactionId: `c-${id}` })).toMatchObject({
        outcome: "committed",
      });

    await b.run("2025-01-10T04:00:00.000Z");
    expect((await mailFor(b, "m-early")).map((e) => e.subject)).toEqual(["Thank you for your patience"]);
    // 05:00 in Paris: deferred to the end of quiet hours (08:00 Paris, the 07:00 UTC run), not dropped.
    expect(await mailFor(b, "m-asleep")).toEqual([]);
    await b.run("2025-01-10T05:00:00.000Z");
    expect(await mailFor(b, "m-asleep")).toEqual([]);
    for (const at of ["2025-01-10T06:00:00.000Z", "2025-01-10T07:00:00.000Z"]) await b.run(at);
    expect(await mailFor(b, "m-asleep")).toHaveLength(1);
    // The day's 09:00 run sends neither again.
    await b.run("2025-01-10T09:00:00.000Z");
    expect(await mailFor(b, "m-early")).toHaveLength(1);
    expect(await mailFor(b, "m-asleep")).toHaveLength(1);
  });

  it("a low-value detractor's apology carries the configured gesture, whatever their value", async () => {
    const b = await startBench(program);
    bench = b;
    expect(program.retention.triggers.serviceRecovery.gestureOfferId).toBe("sorry-bonus");
    await b.enrol("m-low", "2025-01-01T09:00:00.000Z", { quietHours: null });
    // One EUR 5 order: 15 % of it (75 minor units) is far below what 300 bonus points cost (300).
    await b.purchase("m-low", "2025-01-02T12:00:00.000Z", 500);
    await b.run("2025-01-10T09:00:00.000Z");
    await interact(b, "m-low", {
      interactionId: "s-low",
      kind: "survey-answered",
      at: "2025-01-10T10:15:00.000Z",
      attributes: { npsScore: 2 },
    });
    await b.run("2025-01-10T11:00:00.000Z");
    const [mail, ...more] = await mailFor(b, "m-low");
    expect(more).toEqual([]);
    expect(mail?.subject).toBe("Thank you for your patience");
    expect(mail?.body.text).toContain("300 bonus points on your next order");
  });
});
