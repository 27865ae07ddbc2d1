import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyPurchase, enrolMember, type MemberState, type Program } from "../../../domain";
import { withStageChange } from "../../../domain/retention/stage-months";
import { type AnalyticsStore, createAnalyticsStore } from "../../../functions/analytics/analytics-store";
import { kpiSettingsOf } from "../../../functions/analytics/job-kpis";
import { runAnalyticsJob } from "../../../functions/analytics/run-analytics-job";
import { createLogger } from "../../../functions/shared/logger";
import { line, plainProgram, purchase } from "../../unit/domain/fixtures";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";
import { seedMembers, syntheticMembers } from "./synthetic-members";

// The nightly job's KPI snapshot per month (PK=ANALYTICS, SK=KPI#<month>) against DynamoDB Local.

const logger = createLogger({ logLevel: "SILENT" });
const program = plainProgram();

function memberWith(
  memberId: string,
  enrolledAt: string,
  buys: string[],
  channel?: "web",
): { memberId: string; state: MemberState } {
  let state = enrolMember(memberId, enrolledAt, program, channel ? { channel } : {}).state;
  buys.forEach((at, i) => {
    state = applyPurchase(state, program, purchase(`${memberId}-${i}`, at, [line("TEE", "apparel", 2000)]), {
      now: at,
    }).state;
  });
  return { memberId, state };
}

/** A member with survey answers and a service case, as recordSatisfaction leaves them in the state. */
function answered(
  member: { memberId: string; state: MemberState },
  satisfaction: NonNullable<MemberState["satisfaction"]>,
) {
  return { ...member, state: { ...member.state, satisfaction } };
}

let client: DynamoDBClient;
const tables: TestTable[] = [];
async function tableWith(members: { memberId: string; state: MemberState }[]): Promise<AnalyticsStore> {
  const table = await createTestTable(inject("dynamoEndpoint"));
  tables.push(table);
  await seedMembers(client, table.tableName, members);
  return createAnalyticsStore({ client, tableName: table.tableName });
}

beforeAll(() => {
  client = dynamoClient(inject("dynamoEndpoint"), 3);
});

afterAll(async () => {
  await Promise.all(tables.map((t) => t.drop()));
  client.destroy();
});

describe("KPI snapshots of the nightly job", () => {
  it("stores one snapshot per month, even when too few customers skip scoring", async () => {
    const store = await tableWith([
      answered(
        memberWith("a", "2025-03-05T09:00:00Z", ["2025-03-10T10:00:00Z", "2025-05-02T10:00:00Z"], "web"),
        {
          nps: { score: 10, at: "2025-05-03T09:00:00Z" },
          csat: { score: 5, at: "2025-05-03T09:00:00Z" },
          serviceCase: {
            caseId: "k1",
            reason: "complaint",
            openedAt: "2025-03-12T09:00:00Z",
            closedAt: "2025-03-13T09:00:00Z",
          },
        },
      ),
      answered(memberWith("b", "2025-03-20T09:00:00Z", []), {
        nps: { score: 8, at: "2025-04-20T09:00:00Z" },
      }),
      answered(memberWith("c", "2025-04-02T09:00:00Z", ["2025-04-02T12:00:00Z"]), {
        nps: { score: 4, at: "2025-05-10T09:00:00Z" },
        serviceCase: { caseId: "k2", reason: "nps-detractor", openedAt: "2025-05-10T09:00:00Z" },
      }),
    ]);
    const run = (at: string) =>
      runAnalyticsJob(
        { store, logger, options: { scanSegments: 2, kpi: { pointCostMinor: 2 } } },
        new Date(at),
      );
    expect((await run("2025-05-20T01:00:00Z")).status).toBe("skipped");
    await run("2025-05-21T01:00:00Z"); // replaces May's snapshot
    await run("2025-06-01T01:00:00Z");

    const snapshots = await store.listKpis("2025-05", "2025-06");
    expect(snapshots.map((s) => [s.month, s.asOf])).toEqual([
      ["2025-05", "2025-05-21T01:00:00.000Z"],
      ["2025-06", "2025-06-01T01:00:00.000Z"],
    ]);
    const may = snapshots[0];
    expect(may?.acquisition.at(-3)).toEqual({
      month: "2025-03",
      newMembers: 2,
      byChannel: { web: 1, unknown: 1 },
      referrals: 0,
      purchasedWithin30Days: 0.5,
    });
    // March cohort {a, b}: a buys in March and May → [1/2, 0, 1/2]. April cohort {c}: April only.
    expect(may?.cohorts.at(-3)).toMatchObject({ cohort: "2025-03", size: 2, retention: [0.5, 0, 0.5] });
    expect(may?.cohorts.at(-2)).toMatchObject({ cohort: "2025-04", size: 1, retention: [1, 0] });
    expect(may?.active.slice(-3).map((a) => a.active)).toEqual([1, 1, 1]);
    // 3 purchases of EUR 20 at 1 point per euro, all still pending or spendable: 60 points owed.
    expect(may?.economics).toMatchObject({ pointsIssued: 60, outstandingPoints: 60, liabilityMinor: 120 });
    expect(may?.equity).toMatchObject({ totalMinor: 0, bySegment: { unscored: 0 } });
    expect(Object.values(may?.lifecycle.stages ?? {}).reduce((a, b) => a + b, 0)).toBe(3);
    // NPS, May: a 10 (promoter), c 4 (detractor) → 0 over 2 answers; April: b 8 (passive) → 0. CSAT, May: a 5 → 1.
    const [april, mayAnswers] = may?.satisfaction?.slice(-2) ?? [];
    expect(april).toMatchObject({ month: "2025-04", nps: { responses: 1, passives: 1, score: 0 } });
    expect(mayAnswers).toMatchObject({
      month: "2025-05",
      nps: { responses: 2, promoters: 1, detractors: 1, score: 0 },
      csat: { responses: 1, satisfied: 1, score: 1 },
    });
    const tiers = Object.values(mayAnswers?.byTier ?? {});
    expect(tiers.reduce((n, figures) => n + figures.nps.responses, 0)).toBe(2);
    expect(mayAnswers?.bySegment.unscored?.nps.responses).toBe(2);
    // a's resolved case (March) was followed by a May purchase; c's open case (May) by none yet.
    expect(may?.serviceRecovery).toEqual({
      recovered: { complainers: 1, purchasedAfter: 1, retentionRate: 1 },
      unrecovered: { complainers: 1, purchasedAfter: 0, retentionRate: 0 },
    });
    expect(await store.listKpis("2025-01", "2025-04")).toEqual([]);
  });

  it("takes the point cost and the holdout draw from the programme in effect when given one", async () => {
    const store = await tableWith([memberWith("a", "2025-03-05T09:00:00Z", ["2025-03-10T10:00:00Z"])]);
    const { retention } = program;
    const programme: Program = {
      ...program,
      retention: {
        ...retention,
        offers: { ...retention.offers, pointCostMinor: 3 },
        holdout: { ...retention.holdout, percent: 50 },
      },
    };
    await runAnalyticsJob(
      { store, logger, kpiSettings: async () => kpiSettingsOf(programme) },
      new Date("2025-05-20T01:00:00Z"),
    );
    const [may] = await store.listKpis("2025-05", "2025-05");
    expect(may?.economics.liabilityMinor).toBe((may?.economics.outstandingPoints ?? 0) * 3);
    expect(may?.economics.holdout).toBeDefined();
  });

  it("values customer equity with the run's scores: the sum of the CLV written to the members", async () => {
    const asOf = new Date("2025-06-01T01:00:00Z");
    const seeded = syntheticMembers({ count: 300, seed: 11, asOf, withoutPurchases: 0.1 });
    const store = await tableWith(seeded);
    const report = await runAnalyticsJob({ store, logger, options: { scanSegments: 2 } }, asOf);
    expect(report.status).toBe("scored");
    expect(report.timingsMs.kpis).toBeGreaterThanOrEqual(0);
    const [june] = await store.listKpis("2025-06", "2025-06");
    let written = 0;
    for (const { memberId } of seeded) written += (await store.getMember(memberId))?.stored?.clvMinor ?? 0;
    // Members store their CLV rounded to the minor unit.
    expect(Math.abs((june?.equity.totalMinor ?? 0) - written)).toBeLessThanOrEqual(seeded.length * 0.5);
    expect(june?.equity.totalMinor).toBeGreaterThan(0);
    expect(june?.equity.top20Share).toBeGreaterThan(0.2);
    expect(june?.members).toBe(300);
  }, 60_000);

  it("counts a closed month's last day: the first run after it ended recounts the month's NPS and CSAT, once", async () => {
    const member = memberWith("d", "2025-05-02T09:00:00Z", ["2025-05-02T10:00:00Z"]);
    const store = await tableWith([member]);
    const tableName = tables.at(-1)?.tableName as string;
    const run = (at: string) =>
      runAnalyticsJob({ store, logger, options: { scanSegments: 2 } }, new Date(at));
    const monthRow = async (snapshot: string, month: string) =>
      (await store.listKpis(snapshot, snapshot))[0]?.satisfaction?.find((row) => row.month === month);
    // May's last nightly run is at 01:00 on the 31st; the member answers that noon, a detractor.
    await run("2025-05-31T01:00:00Z");
    const may31 = { score: 3, at: "2025-05-31T12:00:00Z" };
    await seedMembers(client, tableName, [answered(member, { nps: may31, csat: { ...may31, score: 2 } })]);
    await run("2025-06-01T01:00:00Z");
    expect(await monthRow("2025-05", "2025-05")).toMatchObject({
      nps: { responses: 1, detractors: 1, score: -100 },
      csat: { responses: 1, satisfied: 0, score: 0 },
    });
    // May's other figures stay those of its own last run.
    expect((await store.listKpis("2025-05", "2025-05"))[0]?.asOf).toBe("2025-05-31T01:00:00.000Z");
    // Answering again in June moves the member's latest answer to June; May keeps its closed figures.
    const june5 = { score: 10, at: "2025-06-05T12:00:00Z" };
    await seedMembers(client, tableName, [answered(member, { nps: june5, csat: { ...june5, score: 5 } })]);
    await run("2025-06-06T01:00:00Z");
    expect((await monthRow("2025-05", "2025-05"))?.nps).toMatchObject({ responses: 1, detractors: 1 });
    expect((await monthRow("2025-06", "2025-06"))?.nps).toMatchObject({ responses: 1, promoters: 1 });
    expect((await monthRow("2025-06", "2025-05"))?.nps.responses).toBe(0);
  });

  it("counts stage flows month over month; the first run of a month closes the month before, its last day too", async () => {
    const member = memberWith("f", "2025-03-05T09:00:00Z", ["2025-03-05T10:00:00Z"]);
    const inStage = (edit: (r: MemberState["retention"]) => MemberState["retention"]) => ({
      ...member,
      state: { ...member.state, retention: edit(member.state.retention) },
    });
    const activeInApril = withStageChange(member.state.retention, "active", "2025-04-10");
    const store = await tableWith([inStage(() => activeInApril)]);
    const tableName = tables.at(-1)?.tableName as string;
    const run = (at: string) =>
      runAnalyticsJob({ store, logger, options: { scanSegments: 2 } }, new Date(at));
    const flowsOf = async (month: string) => (await store.listKpis(month, month))[0]?.lifecycle.flows;
    await run("2025-05-31T01:00:00Z");
    expect(await flowsOf("2025-05")).toEqual({
      month: "2025-05",
      flows: [{ from: "active", to: "active", members: 1 }],
      unknown: 0,
    });
    // The retention job moves the member at 09:00 on May's last day, after its last nightly run.
    const atRisk = withStageChange(activeInApril, "at-risk", "2025-05-31");
    await seedMembers(client, tableName, [inStage(() => atRisk)]);
    await run("2025-06-01T01:00:00Z");
    expect(await flowsOf("2025-05")).toEqual({
      month: "2025-05",
      flows: [{ from: "active", to: "at-risk", members: 1 }],
      unknown: 0,
      closedAt: "2025-06-01T01:00:00.000Z",
    });
    expect((await flowsOf("2025-06"))?.flows).toEqual([{ from: "at-risk", to: "at-risk", members: 1 }]);
    // A purchase in June moves the member on; May stays closed, June follows.
    await seedMembers(client, tableName, [inStage(() => withStageChange(atRisk, "active", "2025-06-03"))]);
    await run("2025-06-04T01:00:00Z");
    expect((await flowsOf("2025-05"))?.closedAt).toBe("2025-06-01T01:00:00.000Z");
    expect((await flowsOf("2025-05"))?.flows).toEqual([{ from: "active", to: "at-risk", members: 1 }]);
    expect((await flowsOf("2025-06"))?.flows).toEqual([{ from: "at-risk", to: "active", members: 1 }]);
  });
});
