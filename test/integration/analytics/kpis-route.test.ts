import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnalyticsStore } from "../../../functions/analytics/analytics-store";
import { runAnalyticsJob } from "../../../functions/analytics/run-analytics-job";
import { createLogger } from "../../../functions/shared/logger";
import { marketerToken, memberToken, startTestApi, type TestApi } from "../http/http-fixture";
import { seedMembers, syntheticMembers } from "./synthetic-members";

// GET /kpis through the real handler behind the local API Gateway, after two nightly runs in two months.

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe("GET /kpis", () => {
  it("answers 404 before any run, 400 for a bad range, and only to marketers", async () => {
    const token = await marketerToken("alice");
    const none = await t.call("GET", "/kpis?from=2025-01&to=2025-02", { token });
    expect(none.status).toBe(404);
    expect(none.body.detail).toContain("No KPI snapshot");
    expect((await t.call("GET", "/kpis?from=2025-06&to=2025-05", { token })).status).toBe(400);
    expect((await t.call("GET", "/kpis?from=2023-01&to=2025-05", { token })).status).toBe(400);
    expect((await t.call("GET", "/kpis?to=2025-13", { token })).status).toBe(400);
    expect((await t.call("GET", "/kpis", { token: await memberToken("m-1") })).status).toBe(403);
  });

  it("returns the monthly series of the range with their definitions", async () => {
    const { client, tableName } = t.api.table;
    const may = new Date("2025-05-31T01:00:00.000Z");
    const june = new Date("2025-06-01T01:00:00.000Z");
    await seedMembers(
      client,
      tableName,
      syntheticMembers({ count: 300, seed: 11, asOf: may, idPrefix: "kpi" }),
    );
    const store = createAnalyticsStore({ client, tableName });
    const logger = createLogger({ logLevel: "SILENT" });
    for (const at of [may, june])
      expect((await runAnalyticsJob({ store, logger }, at)).status).toBe("scored");

    const res = await t.call("GET", "/kpis?from=2025-04&to=2025-06", { token: await marketerToken("alice") });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({ from: "2025-04", to: "2025-06", series: { asOf: june.toISOString() } });
    expect(body.definitions.cohortRetention).toContain("retention(c, k)");
    expect(body.series.acquisition.map((a: { month: string }) => a.month)).toEqual([
      "2025-04",
      "2025-05",
      "2025-06",
    ]);
    // The April cohort's row is cut at June: April, May, June.
    expect(body.series.cohorts[0]).toMatchObject({ cohort: "2025-04" });
    expect(body.series.cohorts[0].retention).toHaveLength(3);
    expect(body.months.map((m: { month: string }) => m.month)).toEqual(["2025-05", "2025-06"]);
    expect(body.months[0].equityChangeMinor).toBeNull();
    expect(body.months[1].equityChangeMinor).toBeCloseTo(
      body.months[1].equity.totalMinor - body.months[0].equity.totalMinor,
    );
    expect(body.months[1].members).toBe(300);
    // June's first run closed May's stage flows: every member enrolled by then, from one stage to one stage.
    expect(body.definitions.stageFlows).toContain("flows(m, a, b)");
    const mayFlows = body.months[0].lifecycle.flows;
    expect(mayFlows).toMatchObject({ month: "2025-05", closedAt: june.toISOString() });
    const counted = mayFlows.flows.reduce((n: number, f: { members: number }) => n + f.members, 0);
    expect(counted + mayFlows.unknown).toBe(300);
    expect(body.months[1].lifecycle.flows.month).toBe("2025-06");
    // The synthetic members answered no survey: the months are there, without scores.
    expect(body.definitions.nps).toContain("latest NPS answer given in month m");
    expect(body.series.satisfaction.map((m: { month: string }) => m.month)).toEqual([
      "2025-04",
      "2025-05",
      "2025-06",
    ]);
    expect(body.series.satisfaction[2].nps).toMatchObject({ responses: 0, score: null });
    expect(body.months[1].serviceRecovery.recovered.complainers).toBe(0);
  }, 90_000);
});
