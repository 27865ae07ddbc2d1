import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnalyticsStore } from "../../../functions/analytics/analytics-store";
import { runAnalyticsJob } from "../../../functions/analytics/run-analytics-job";
import { createLogger } from "../../../functions/shared/logger";
import { marketerToken, memberToken, startTestApi, type TestApi } from "../http/http-fixture";
import { seedMembers, syntheticMembers } from "./synthetic-members";

// GET /segments and the scores in GET /members/{id}, through the real handler behind the local API Gateway.

const RUN = new Date("2025-06-01T01:00:00.000Z");
let t: TestApi;

beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe("GET /segments", () => {
  it("answers 404 before the first analytics run, and only to marketers", async () => {
    const before = await t.call("GET", "/segments", { token: await marketerToken("alice") });
    expect(before.status).toBe(404);
    expect(before.headers.get("content-type")).toBe("application/problem+json");
    expect(before.body.detail).toContain("No analytics run");
    expect((await t.call("GET", "/segments", { token: await memberToken("m-1") })).status).toBe(403);
  });

  it("returns the RFM grid, segments, value concentration and fit of the last run", async () => {
    const { client, tableName } = t.api.table;
    const seeded = syntheticMembers({ count: 300, seed: 11, asOf: RUN, idPrefix: "seg" });
    await seedMembers(client, tableName, seeded);
    const report = await runAnalyticsJob(
      { store: createAnalyticsStore({ client, tableName }), logger: createLogger({ logLevel: "SILENT" }) },
      RUN,
    );
    expect(report.status).toBe("scored");

    const res = await t.call("GET", "/segments", { token: await marketerToken("alice") });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({
      asOfDay: "2025-06-01",
      members: { total: 300, customers: report.customers },
      scoring: { horizonWeeks: 52, annualDiscountRate: 0.1, margin: 1 },
      writes: { written: report.customers, unchanged: 0, skipped: 0 },
    });
    expect(body.rfm.grid).toHaveLength(25);
    const cell = body.rfm.grid.find(
      (c: { recency: number; frequency: number }) => c.recency === 5 && c.frequency === 5,
    );
    expect(cell.segment).toBe("champions");
    const names = body.rfm.segments.map((s: { name: string }) => s.name);
    expect(names).toEqual([
      "champions",
      "loyal",
      "potential",
      "needs attention",
      "at risk",
      "hibernating",
      "lost",
      "other",
    ]);
    const { clv } = body.concentration;
    expect(clv.members).toBe(report.customers);
    expect(clv.lorenz).toHaveLength(11);
    expect(clv.top20Share).toBeGreaterThan(0.2);
    expect(clv.top20Share).toBeGreaterThanOrEqual(clv.top10Share);
    expect(body.fit.bgNbd.r).toBeGreaterThan(0);
    expect(body.fit.gammaGamma.q).toBeGreaterThan(1);

    const buyer = seeded.find((m) => m.state.lifetime.purchases > 0)?.memberId ?? "";
    const member = await t.call("GET", `/members/${buyer}`, { token: await marketerToken("alice") });
    expect(member.status).toBe(200);
    expect(member.body.scores).toMatchObject({ scoredOn: "2025-06-01", segment: expect.any(String) });
    expect(names).toContain(member.body.scores.segment);
  });
});
