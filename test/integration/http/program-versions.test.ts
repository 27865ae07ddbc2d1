import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// Scheduled program versions through the HTTP API, on a clock the test moves: the highest version whose
// effectiveFrom has passed is in effect, so a later publish always wins from its effectiveFrom on.

const MINUTE = 60_000;
let token: string;
let t: TestApi | undefined;
let start: number;
let offset = 0;
const at = (ms: number) => new Date(start + ms).toISOString();

beforeAll(async () => {
  token = await marketerToken("alice");
});

async function api(): Promise<TestApi> {
  start = Date.now();
  offset = 0;
  t = await startTestApi({ clock: () => new Date(start + offset) });
  return t;
}

afterEach(async () => {
  await t?.stop();
  t = undefined;
});

type Input = typeof exampleProgramInput;
const withGold = (threshold: number) =>
  exampleProgramInput.tiers.map((tier) => (tier.id === "gold" ? { ...tier, threshold } : tier));
const costOf = (rewards: readonly { rewardId: string; pointsCost: number }[], id: string) =>
  rewards.find((r) => r.rewardId === id)?.pointsCost;

async function putProgram(api: TestApi, body: Partial<Input> & { version: number; effectiveFrom: string }) {
  return api.call("PUT", "/program", { token, body: { ...exampleProgramInput, ...body } });
}

async function statuses(api: TestApi) {
  const history = await api.call("GET", "/program/versions", { token });
  return Object.fromEntries(
    history.body.versions.map((v: { version: number; status: string; supersededBy?: number }) => [
      v.version,
      v.supersededBy === undefined ? v.status : `${v.status} by ${v.supersededBy}`,
    ]),
  );
}

describe("scheduled program versions", () => {
  it("a version published later with an earlier effectiveFrom supersedes the older scheduled one", async () => {
    const a = await api();
    const v2 = await putProgram(a, { version: 2, effectiveFrom: at(10 * MINUTE), tiers: withGold(1200) });
    expect(v2.status).toBe(201);
    const v3 = await putProgram(a, { version: 3, effectiveFrom: at(2 * MINUTE), tiers: withGold(1500) });
    expect(v3.status).toBe(201);

    for (const minutes of [5, 11, 60]) {
      offset = minutes * MINUTE;
      expect((await a.call("GET", "/program", { token })).body).toMatchObject({
        version: 3,
        inEffectVersion: 3,
      });
      // The pipeline, the jobs and the member routes read the same repository.
      expect((await a.api.deps.programs.inEffectAt(at(offset)))?.version).toBe(3);
    }
    expect(await statuses(a)).toEqual({ 1: "retired", 2: "superseded by 3", 3: "in-effect" });
    expect(v3.body.supersedes).toEqual([2]);
  });

  it("PUT /rewards/{id} while a version is scheduled rebases it: the price holds after it starts", async () => {
    const a = await api();
    const v2 = await putProgram(a, { version: 2, effectiveFrom: at(10 * MINUTE), tiers: withGold(1200) });
    expect(v2.status).toBe(201);
    const res = await a.call("PUT", "/rewards/free-coffee", {
      token,
      body: { name: "Free coffee", pointsCost: 120 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 3, effectiveFrom: at(MINUTE) });
    await a.enrol("m-price");
    const member = await memberToken("m-price");
    for (const [minutes, version, gold] of [
      [2, 3, 1000],
      [11, 4, 1200],
    ] as const) {
      offset = minutes * MINUTE;
      const program = await a.api.deps.programs.inEffectAt(at(offset));
      expect({
        version: program?.version,
        gold: program?.tiers.find((x) => x.id === "gold")?.threshold,
      }).toEqual({ version, gold });
      const rewards = await a.call("GET", "/me/rewards", { token: member });
      expect(rewards.status).toBe(200);
      expect(costOf(rewards.body.rewards, "free-coffee")).toBe(120);
    }
    expect(res.body.rebased).toEqual([{ version: 4, effectiveFrom: v2.body.effectiveFrom, supersedes: 2 }]);
    // Version 3 already starts before version 2; version 4 is version 2 with the reward set.
    expect(await statuses(a)).toEqual({ 1: "retired", 2: "superseded by 3", 3: "retired", 4: "in-effect" });
  });

  it("PUT /rewards/{id} is refused (409, nothing published) when a scheduled version changes that reward", async () => {
    const a = await api();
    const rewards = exampleProgramInput.rewards.map((r) =>
      r.rewardId === "free-coffee" ? { ...r, pointsCost: 200 } : r,
    );
    expect((await putProgram(a, { version: 2, effectiveFrom: at(10 * MINUTE), rewards })).status).toBe(201);
    const res = await a.call("PUT", "/rewards/free-coffee", {
      token,
      body: { name: "Free coffee", pointsCost: 120 },
    });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("urn:patron:problem:reward-change-scheduled");
    expect(res.body.detail).toContain("version 2");
    expect(Object.keys(await statuses(a))).toEqual(["1", "2"]);
  });
});
