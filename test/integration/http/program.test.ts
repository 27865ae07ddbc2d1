import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

let t: TestApi;
let token: string;
beforeAll(async () => {
  t = await startTestApi();
  token = await marketerToken("alice");
});
afterAll(async () => {
  await t.stop();
});

const inTwoMinutes = () => new Date(Date.now() + 120_000).toISOString();
type Input = typeof exampleProgramInput;
const draft = (change: (p: Input) => unknown): unknown =>
  change(structuredClone({ ...exampleProgramInput, version: 2 }));

describe("PUT /program", () => {
  const invalid: [string, (p: Input) => unknown, string][] = [
    ["a missing field", ({ currency: _c, ...p }) => p, "currency"],
    [
      "a wrong type",
      (p) => ({ ...p, tiers: [{ ...p.tiers[0], threshold: "zero" }, ...p.tiers.slice(1)] }),
      "tiers[0].threshold",
    ],
    [
      "an unknown field",
      (p) => ({ ...p, earning: { ...p.earning, bonusMultiplier: 2 } }),
      "earning.bonusMultiplier",
    ],
    [
      "overlapping tier thresholds",
      (p) => ({ ...p, tiers: [p.tiers[0], { ...p.tiers[1], threshold: 0 }, p.tiers[2]] }),
      "tiers[1].threshold",
    ],
    [
      "an undeclared category",
      (p) => ({ ...p, categories: p.categories.filter((c) => c !== "shoes") }),
      "earning.categoryMultipliers[1].category",
    ],
    ["a duplicate rule id", (p) => ({ ...p, expiry: { ...p.expiry, ruleId: "base-earn" } }), "expiry.ruleId"],
    [
      "a reward not in the catalogue",
      (p) => ({ ...p, punchCards: [{ ...p.punchCards[0], rewardId: "free-cake" }] }),
      "punchCards[0].rewardId",
    ],
    [
      "a promotion ending before it starts",
      (p) => ({
        ...p,
        earning: {
          ...p.earning,
          promotions: [{ ...p.earning.promotions[0], endsAt: "2025-06-01T00:00:00Z" }],
        },
      }),
      "earning.promotions[0].endsAt",
    ],
    [
      "a negative multiplier",
      (p) => ({
        ...p,
        earning: { ...p.earning, skuMultipliers: [{ ...p.earning.skuMultipliers[0], multiplier: -1 }] },
      }),
      "earning.skuMultipliers[0].multiplier",
    ],
    ["a bad date-time", (p) => ({ ...p, effectiveFrom: "tomorrow" }), "effectiveFrom"],
  ];
  it.each(invalid)("rejects %s with a problem naming the field", async (_kind, change, path) => {
    const res = await t.call("PUT", "/program", {
      token,
      body: draft((p) => change({ ...p, effectiveFrom: inTwoMinutes() } as Input)),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.type).toBe("urn:patron:problem:validation-error");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("rejects a version that is not the latest + 1 (409) and an effectiveFrom in the past (422)", async () => {
    const stale = await t.call("PUT", "/program", {
      token,
      body: { ...exampleProgramInput, version: 1, effectiveFrom: inTwoMinutes() },
    });
    expect(stale.status).toBe(409);
    const backdated = await t.call("PUT", "/program", {
      token,
      body: { ...exampleProgramInput, version: 2, effectiveFrom: new Date().toISOString() },
    });
    expect(backdated.status).toBe(422);
    expect(backdated.body.errors[0].path).toBe("effectiveFrom");
  });

  it("publishes a valid version with an audit trail (who, when, diff) and keeps the version in effect until then", async () => {
    const effectiveFrom = inTwoMinutes();
    const tiers = exampleProgramInput.tiers.map((tier) =>
      tier.id === "gold" ? { ...tier, threshold: 1200 } : tier,
    );
    const res = await t.call("PUT", "/program", {
      token,
      body: { ...exampleProgramInput, version: 2, effectiveFrom, tiers },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 2, publishedBy: "alice" });
    const current = await t.call("GET", "/program", { token });
    expect(current.body).toMatchObject({ version: 2, inEffectVersion: 1 });
    const history = await t.call("GET", "/program/versions", { token });
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history.body.versions[0].diff).toEqual([
      { path: "effectiveFrom", before: "2025-01-01T00:00:00+01:00", after: effectiveFrom },
      { path: "tiers[1].threshold", before: 1000, after: 1200 },
      { path: "version", before: 1, after: 2 },
    ]);
  });

  it("PUT /rewards/{id} publishes a new version with the changed catalogue", async () => {
    const res = await t.call("PUT", "/rewards/free-coffee", {
      token,
      body: { name: "Free coffee", pointsCost: 120 },
    });
    expect(res.status).toBe(201);
    expect(res.body.version).toBe(3);
    const rewards = await t.call("GET", "/rewards", { token });
    expect(rewards.body.rewards).toContainEqual(
      expect.objectContaining({ rewardId: "free-coffee", pointsCost: 120 }),
    );
    const bad = await t.call("PUT", "/rewards/free-coffee", { token, body: { name: "", pointsCost: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["name", "pointsCost"]);
  });
});

describe("POST /program/preview", () => {
  it("reports tier moves, liability and rewards within reach for a bounded sample", async () => {
    for (const [id, points] of [
      ["pv-1", 1000],
      ["pv-2", 100],
    ] as const) {
      await t.enrol(id);
      await t.call("POST", `/members/${id}/adjustments`, {
        token,
        headers: { "idempotency-key": `preview-seed-${id}` },
        body: { points, reason: "seed" },
      });
    }
    const cheaper = exampleProgramInput.rewards.map((r) => ({ ...r, pointsCost: 50 }));
    const res = await t.call("POST", "/program/preview", {
      token,
      body: { program: { ...exampleProgramInput, version: 9, rewards: cheaper }, days: 7, maxMembers: 10 },
    });
    expect(res.status).toBe(200);
    expect(res.body.sample).toMatchObject({ members: 2, days: 7, maxMembers: 10, complete: true });
    expect(res.body.tiers).toMatchObject({ movedUp: 0, movedDown: 0, unchanged: 2 });
    expect(res.body.pointsLiability).toEqual({ current: 1100, draft: 1100, change: 0 });
    // Now: pv-1 affords free-coffee, voucher-5, tote-bag and lumen-pastry (4), pv-2 nothing; draft: all 5 each.
    expect(res.body.rewardsWithinReach).toEqual({ current: 4, draft: 10, change: 6 });
    const invalid = await t.call("POST", "/program/preview", {
      token,
      body: { program: { ...exampleProgramInput, tiers: [] } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].path).toBe("program.tiers");
    const member = await memberToken("pv-1");
    expect((await t.call("POST", "/program/preview", { token: member, body: {} })).status).toBe(403);
  });
});
