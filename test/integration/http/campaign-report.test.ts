import { TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProgram } from "../../../domain";
import { issueOffer } from "../../../domain/offers/offer-instance";
import { bonusOffer, purchaseWithCodes } from "../pipeline/offers";
import { marketerToken, startTestApi, type TestApi } from "./http-fixture";
import { memberEventsOn } from "./member-events";

// GET /campaigns from the retention job's sharded counters, seeded here as the job writes them (ADD), and the
// redemptions the purchase pipeline counts.

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

  it("gives the redemptions a real purchase counted, their incentive cost and the margin per unit of it", async () => {
    const trigger = "service-recovery";
    const sentAt = new Date(Date.now() - 86_400_000);
    const instance = issueOffer({
      chosen: { offer: bonusOffer, costMinor: 250, budgetMinor: 300 },
      code: "CMPN234567",
      memberId: "m-c",
      trigger: { kind: trigger, family: "service-recovery", messageKey: `${trigger}:m-c` },
      now: sentAt,
      config: exampleProgram.retention,
    });
    const store = t.api.deps.messages;
    await t.api.table.client.send(
      new TransactWriteItemsCommand({ TransactItems: [t.api.deps.members.issueAction(instance)] }),
    );
    // As the retention job counts: 10 sent, 5 converted spending 500.00; control 10, 2 converted spending 100.00.
    const seeded = store.counterAction(trigger, 2, {
      sent: 10,
      converted: 5,
      convertedSpendMinor: 50_000,
      controlSize: 10,
      controlConverted: 2,
      controlConvertedSpendMinor: 10_000,
    });
    if (seeded) await store.transact([seeded]);
    const bought = new Date(Date.now() - 60_000).toISOString();
    await memberEventsOn(t).deliver(purchaseWithCodes("m-c", "o-c", bought, ["CMPN234567"]));

    const res = await t.call("GET", "/campaigns", { token });
    const row = res.body.triggers.find((r: { trigger: string }) => r.trigger === trigger);
    // Incremental revenue 50,000 − 10 × 1,000 = 40,000; margin 30% = 12,000; 250 bonus points at 1 = 250.
    expect(row).toMatchObject({
      redeemed: 1,
      redemptionRate: 0.1,
      incentiveCostMinor: 250 * exampleProgram.retention.offers.pointCostMinor,
      incrementalMarginMinor: 12_000,
      marginPerIncentive: 48,
    });
  });
});
