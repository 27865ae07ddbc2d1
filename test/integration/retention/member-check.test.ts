import { afterEach, describe, expect, it } from "vitest";
import { createRetentionJobHandler } from "../../../functions/handlers/retention-job";
import { lambdaContext } from "../pipeline/harness";
import { type Bench, memberOf, startBench, testProgram } from "./harness";

// A retention run for named members ({"members": [...]} as the job's event): each is checked as of the run's
// time, whatever day they are filed under, and nothing else is — no due day is read or counted as finished, so
// the hourly schedule is left exactly as it was. For support ("check this member now") and the local demo.

const noHoldout = testProgram((p) => {
  if (p.retention) p.retention.holdout = { percent: 0 };
});
let bench: Bench | undefined;

afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

/** The retention job's Lambda handler as of `at`, given `event` (the Scheduler sends {"job": ...}). */
const runJob = (b: Bench, at: string, event: unknown) =>
  createRetentionJobHandler(b.deps(), () => new Date(at))(event, lambdaContext);

/** Three purchase days two days apart: their own rhythm says at risk from 9 January, lapsed from the 12th. */
async function regularUntilSixthJanuary(b: Bench, memberId: string) {
  await b.enrol(memberId, "2025-01-01T09:00:00.000Z");
  for (const day of ["02", "04", "06"]) await b.purchase(memberId, `2025-01-${day}T12:00:00.000Z`, 1500);
}

describe("a retention run for named members", () => {
  it("checks only them, now, and leaves the job's finished day alone", async () => {
    bench = await startBench(noHoldout);
    await regularUntilSixthJanuary(bench, "m-named");
    await regularUntilSixthJanuary(bench, "m-other");

    const report = await runJob(bench, "2025-01-20T10:00:00.000Z", { members: ["m-named"] });
    // At risk and lapsed in one check: the win-back journey's first e-mail goes out.
    expect(report).toMatchObject({ days: [], processed: 1, lapsing: 2, sent: 1 });
    const emails = await bench.emails();
    expect(emails.map(memberOf)).toEqual(["m-named"]);
    expect(emails[0]?.subject).toBe("Come back to Maison & Market Rewards");
    expect(bench.events.map((e) => e.type)).toContain("Member Lapsing");
    expect(await bench.messages.lastFinishedDay()).toBeUndefined();
  });

  it("checks a member filed for a later day too; with nothing due that changes nothing", async () => {
    bench = await startBench(noHoldout);
    await regularUntilSixthJanuary(bench, "m-named");
    await runJob(bench, "2025-01-20T10:00:00.000Z", { members: ["m-named"] });
    const filed = await bench.members.getMember<{ retention: { dueOn: string } }>("m-named");
    expect((filed?.state.retention.dueOn ?? "") > "2025-01-21").toBe(true);

    const again = await runJob(bench, "2025-01-21T10:00:00.000Z", { members: ["m-named", "m-unknown"] });
    expect(again).toMatchObject({ processed: 1, stale: 1, sent: 0, lapsing: 0 });
    expect(await bench.emails()).toHaveLength(1);
  });

  it("refuses a malformed request instead of running for everyone", async () => {
    bench = await startBench(noHoldout);
    const at = "2025-01-20T10:00:00.000Z";
    await expect(runJob(bench, at, { job: "retention-job", members: [] })).rejects.toThrow(/members/);
    await expect(runJob(bench, at, { members: ["not a member id"] })).rejects.toThrow(/members\[0\]/);
    expect(await bench.messages.lastFinishedDay()).toBeUndefined();
  });
});
