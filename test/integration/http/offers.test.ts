import { TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProgram } from "../../../domain";
import { issueOffer } from "../../../domain/offers/offer-instance";
import type { Offer } from "../../../domain/offers/offer-schema";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// The checkout's question (POST /offers/validate, producer services and marketers) and the members' and
// marketers' lists of offer codes, on offer instances stored as the retention job's claim stores them.

const NOW = new Date("2025-06-10T12:00:00Z");
const tenOff: Offer = {
  id: "ten-off",
  kind: "percent-off",
  value: 10,
  minSpendMinor: 3000,
  segments: [],
  categories: [],
  triggers: [],
};

let t: TestApi;
let till: string;

const coffeeGift: Offer = {
  ...tenOff,
  id: "coffee-gift",
  kind: "reward",
  value: 1,
  minSpendMinor: 0,
  rewardId: "free-coffee",
};

async function issue(memberId: string, code: string, sentAt: string, offer = tenOff) {
  const instance = issueOffer({
    chosen: { offer, costMinor: 300, budgetMinor: 400 },
    code,
    memberId,
    trigger: { kind: "win-back-step-1", family: "win-back", messageKey: `win-back-step-1:${memberId}` },
    now: new Date(sentAt),
    config: exampleProgram.retention,
  });
  await t.api.table.client.send(
    new TransactWriteItemsCommand({ TransactItems: [t.api.deps.members.issueAction(instance)] }),
  );
}

beforeAll(async () => {
  t = await startTestApi({ clock: () => NOW });
  till = await signLocalToken({ producer: "pos-store-042" });
  await issue("m-1", "VAXD234567", "2025-06-01T09:00:00Z");
  await issue("m-1", "XPRD234567", "2025-04-01T09:00:00Z");
  await issue("m-3", "RWRD234567", "2025-06-01T09:00:00Z", coffeeGift);
});
afterAll(async () => {
  await t.stop();
});

const validate = (body: unknown, token = till) => t.call("POST", "/offers/validate", { token, body });

describe("POST /offers/validate", () => {
  it("answers what a code gives its member's basket, without using it", async () => {
    for (let i = 0; i < 2; i += 1) {
      const res = await validate({ memberId: "m-1", code: "vaxd-2345 67", basketTotal: 4550 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        valid: true,
        offer: {
          offerId: "ten-off",
          kind: "percent-off",
          value: 10,
          minSpendMinor: 3000,
          validUntil: "2025-06-30",
        },
        benefit: { discountMinor: 455, points: 0 },
      });
    }
  });

  it("names the catalogue reward a reward offer unlocks", async () => {
    const res = await validate({ memberId: "m-3", code: "RWRD234567", basketTotal: 1200 });
    expect(res.body).toEqual({
      valid: true,
      offer: {
        offerId: "coffee-gift",
        kind: "reward",
        value: 1,
        rewardId: "free-coffee",
        minSpendMinor: 0,
        validUntil: "2025-06-30",
      },
      benefit: {
        discountMinor: 0,
        points: 0,
        reward: { rewardId: "free-coffee", name: "Free coffee", copies: 1 },
      },
    });
  });

  it("says not-found for another member, expired after the last day, and names a basket under the minimum", async () => {
    expect((await validate({ memberId: "m-2", code: "VAXD234567", basketTotal: 4550 })).body).toEqual({
      valid: false,
      reason: "not-found",
    });
    expect((await validate({ memberId: "m-1", code: "XPRD234567", basketTotal: 4550 })).body).toEqual({
      valid: false,
      reason: "expired",
    });
    expect((await validate({ memberId: "m-1", code: "VAXD234567", basketTotal: 2999 })).body).toEqual({
      valid: false,
      reason: "below-minimum-spend",
    });
  });

  it("takes producer services and marketers, not members, and names bad fields", async () => {
    expect(
      (await validate({ memberId: "m-1", code: "VAXD234567", basketTotal: 1 }, await memberToken("m-1")))
        .status,
    ).toBe(403);
    expect(
      (await validate({ memberId: "m-1", code: "VAXD234567", basketTotal: 1 }, await marketerToken("ann")))
        .status,
    ).toBe(200);
    const bad = await validate({ memberId: "m-1", code: "", basketTotal: -5 });
    expect(bad.status).toBe(400);
    const fields = JSON.stringify(bad.body);
    expect(fields).toContain("code");
    expect(fields).toContain("basketTotal");
  });
});

describe("offer lists", () => {
  it("show a member the codes they can still use, and a marketer every code with its status", async () => {
    const mine = await t.call("GET", "/me/offers", { token: await memberToken("m-1") });
    expect(mine.status).toBe(200);
    expect(mine.body.offers.map((o: { code: string }) => o.code)).toEqual(["VAXD234567"]);
    const all = await t.call("GET", "/members/m-1/offers", { token: await marketerToken("ann") });
    expect(all.body.offers.map((o: { code: string; status: string }) => `${o.code} ${o.status}`)).toEqual([
      "VAXD234567 usable",
      "XPRD234567 expired",
    ]);
    expect((await t.call("GET", "/members/m-1/offers", { token: await memberToken("m-1") })).status).toBe(
      403,
    );
  });
});
