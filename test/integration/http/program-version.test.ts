import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// GET /program/versions/{version}: any one version as published, for the console's version view and diff.

let t: TestApi;
let token: string;
beforeAll(async () => {
  t = await startTestApi();
  token = await marketerToken("alice");
});
afterAll(async () => {
  await t.stop();
});

describe("GET /program/versions/{version}", () => {
  it("answers each published version with its program and who published it when", async () => {
    const effectiveFrom = new Date(Date.now() + 120_000).toISOString();
    const tiers = exampleProgramInput.tiers.map((tier) =>
      tier.id === "gold" ? { ...tier, threshold: 1200 } : tier,
    );
    const put = await t.call("PUT", "/program", {
      token,
      body: { ...exampleProgramInput, version: 2, effectiveFrom, tiers },
    });
    expect(put.status).toBe(201);

    const second = await t.call("GET", "/program/versions/2", { token });
    expect(second.status).toBe(200);
    expect(Object.keys(second.body).sort()).toEqual([
      "effectiveFrom",
      "program",
      "publishedAt",
      "publishedBy",
      "version",
    ]);
    expect(second.body).toMatchObject({ version: 2, effectiveFrom, publishedBy: "alice" });
    expect(second.body.publishedAt).toBe(put.body.publishedAt);
    expect(second.body.program).toEqual(put.body.program);
    expect(second.body.program.tiers[1].threshold).toBe(1200);

    // Version 1, superseded as the latest, is still there as published (by the fixture's setup).
    const first = await t.call("GET", "/program/versions/1", { token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 1, publishedBy: "test-setup" });
    expect(first.body.program.tiers[1].threshold).toBe(1000);
  });

  it("answers 404 for a version never published, 400 for one that is not a whole number", async () => {
    const missing = await t.call("GET", "/program/versions/99", { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    for (const bad of ["two", "1.5", "0", "-1"]) {
      const res = await t.call("GET", `/program/versions/${bad}`, { token });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["path.version"]);
    }
  });

  it("is for marketers only", async () => {
    const member = await memberToken("pv-member");
    expect((await t.call("GET", "/program/versions/1", { token: member })).status).toBe(403);
  });
});
