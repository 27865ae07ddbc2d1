import { TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProgram } from "../../../domain";
import { issueOffer } from "../../../domain/offers/offer-instance";
import { bonusOffer, purchaseWithCodes } from "../pipeline/offers";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";
import { memberEventsOn } from "./member-events";

// The offer codes an order carried, in the member's own ledger (GET /me/ledger) and in the marketer's 360° view:
// what each used code gave, and why each other one was turned down.

let t: TestApi;
const CODE = "XDGR234567";

beforeAll(async () => {
  t = await startTestApi();
  const sentAt = new Date(Date.now() - 86_400_000);
  const instance = issueOffer({
    chosen: { offer: bonusOffer, costMinor: 250, budgetMinor: 300 },
    code: CODE,
    memberId: "m-1",
    trigger: { kind: "win-back-step-1", family: "win-back", messageKey: "win-back-step-1:m-1" },
    now: sentAt,
    config: exampleProgram.retention,
  });
  await t.api.table.client.send(
    new TransactWriteItemsCommand({ TransactItems: [t.api.deps.members.issueAction(instance)] }),
  );
  const bought = new Date(Date.now() - 60_000).toISOString();
  const result = await memberEventsOn(t).deliver(
    purchaseWithCodes("m-1", "o-1", bought, [CODE.toLowerCase(), "NKNWN23456"]),
  );
  expect(result.status).toBe("committed");
});
afterAll(async () => {
  await t.stop();
});

const offers = {
  redeemed: [{ code: CODE, offerId: "bonus-250", discountMinor: 0, points: 250 }],
  rejected: [{ code: "NKNWN23456", reason: "not-found" }],
};

describe("offer codes in the ledger", () => {
  it("show the member the codes their order used and those turned down, with the reason", async () => {
    const res = await t.call("GET", "/me/ledger", { token: await memberToken("m-1") });
    expect(res.status).toBe(200);
    const earn = res.body.entries.find((e: { kind: string }) => e.kind === "earn");
    expect(earn.offers).toEqual(offers);
    const bonus = res.body.entries.find((e: { kind: string }) => e.kind === "bonus");
    expect(bonus).not.toHaveProperty("offers");
  });

  it("show the marketer the same, full codes included (as GET /members/{id}/offers does)", async () => {
    const res = await t.call("GET", "/members/m-1", { token: await marketerToken("ann") });
    expect(res.status).toBe(200);
    const earn = res.body.recentLedger.find((e: { kind: string }) => e.kind === "earn");
    expect(earn.offers).toEqual(offers);
  });
});
