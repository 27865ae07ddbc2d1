import { afterEach, describe, expect, inject, it } from "vitest";
import { enrolment, purchase, refund } from "./events";
import { createHarness, type Harness } from "./harness";
import { memberView } from "./member-view";

// Partner events through the pipeline: a purchase from a partner's till earns by the partner's rate into its
// lot and counts on its statement, in the same commit; its refund takes the partner's points back; a source
// naming a partner the program does not list is rejected on `source` and changes nothing.

const NOW = "2025-03-28T12:00:00Z";
const latte = { sku: "LUMEN-LATTE", category: "coffee", quantity: 1, unitPrice: 2000 };
const at = (minute: number) => new Date(Date.parse("2025-03-26T08:00:00Z") + minute * 60_000).toISOString();
const till = "retail.partner.cafe-lumen.till-1";

describe("partner purchases", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("earn into the partner's lot, count on its statement, and its refund takes them back", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await harness.deliver(enrolment("p1", at(0)));
    expect((await harness.deliver({ ...purchase("p1", "L-1", at(1), [latte]), source: till })).status).toBe(
      "committed",
    );
    const bought = await memberView(harness, "p1");
    const earn = bought?.entries.find((e) => e.kind === "earn");
    expect(earn?.partners).toEqual([{ partnerId: "cafe-lumen", points: expect.any(Number) }]);
    const issued = earn?.partners?.[0]?.points ?? 0;
    expect(issued).toBeGreaterThan(0);
    expect(await harness.repository.readPartnerMonth("cafe-lumen", "2025-03")).toMatchObject({ issued });

    const back = { ...refund("p1", "R-1", "L-1", at(2), { amount: 2000 }), source: till };
    expect((await harness.deliver(back)).status).toBe("committed");
    const reversed = (await memberView(harness, "p1"))?.entries.find((e) => e.kind === "reverse");
    expect(reversed?.partners).toEqual([{ partnerId: "cafe-lumen", points: -issued }]);
    expect(await harness.repository.readPartnerMonth("cafe-lumen", "2025-03")).toEqual({
      issued,
      redeemed: 0,
      expired: 0,
      reversed: issued,
      redeemedWith: 0,
    });
  });

  it("from a partner the program does not list are rejected on source", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await harness.deliver(enrolment("p2", at(0)));
    const result = await harness.deliver({
      ...purchase("p2", "X-1", at(1), [latte]),
      source: "retail.partner.nobody.till-1",
    });
    expect(result).toMatchObject({ status: "rejected" });
    expect(JSON.stringify(result)).toContain("source");
    expect((await memberView(harness, "p2"))?.entries.filter((e) => e.kind === "earn")).toEqual([]);
  });
});
