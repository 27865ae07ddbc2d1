import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marketerToken, startTestApi, type TestApi } from "./http-fixture";

// GET /campaigns from the retention job's sharded counters, seeded here as the job writes them (ADD).

let t: TestApi;
let token: string;
beforeAll(async () => {
  t = await startTestApi();
  token = await marketerToken("alice");
});
afterAll(async () => {
  await t.stop();
});

describe("GET /campaigns", () => {
  it("gives each trigger's lift with its 95% interval, null where there is no control group", async () => {
    const store = t.api.deps.messages;
    const actions = [
      // 56/70 treated vs 48/80 control over two shards: Newcombe's example, interval 5.24 to 33.39 points.
      store.counterAction("win-back-step-1", 0, {
        sent: 40,
        converted: 30,
        controlSize: 50,
        controlConverted: 30,
      }),
      store.counterAction("win-back-step-1", 3, {
        sent: 30,
        converted: 26,
        controlSize: 30,
        controlConverted: 18,
      }),
      store.counterAction("birthday", 1, { sent: 12, converted: 3 }),
    ];
    await store.transact(actions.filter((a) => a !== undefined));
    const res = await t.call("GET", "/campaigns", { token });
    expect(res.status).toBe(200);
    const [birthday, winBack] = res.body.triggers;
    expect(winBack).toMatchObject({ trigger: "win-back-step-1", sent: 70, converted: 56, liftPoints: 20 });
    expect(winBack.liftInterval.low).toBeCloseTo(5.24, 2);
    expect(winBack.liftInterval.high).toBeCloseTo(33.39, 2);
    expect(birthday).toMatchObject({ trigger: "birthday", liftPoints: null, liftInterval: null });
  });
});
