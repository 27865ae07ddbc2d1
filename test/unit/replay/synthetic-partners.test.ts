import { describe, expect, it } from "vitest";
import { exampleProgram } from "../../../domain/program/example-program";
import { partnerAcceptsSource } from "../../../domain/program/partner-schema";
import { parseInbound } from "../../../events/envelope";
import { replayEvents } from "../../../scripts/replay/replay-events";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";
import { EXAMPLE_PARTNERS, withPartnerPurchases } from "../../../scripts/replay/synthetic-partners";

// The synthetic replay's partner purchases: valid by the inbound contracts, from a source the example
// program registers for that partner, each refund after its purchase and within the log, deterministic by seed.

const END_DAY = "2026-10-30";
const retail = replayEvents(syntheticPurchaseLog({ members: 200, seed: 4, endDay: END_DAY }), {
  endDay: END_DAY,
});
const endAt = new Date(`${END_DAY}T23:59:59.999Z`);
const options = { seed: 4, partners: EXAMPLE_PARTNERS, endAt };
const events = withPartnerPurchases(retail, options);
const added = events.filter((e) => e.entry.Source?.startsWith("retail.partner."));
const envelope = (e: (typeof events)[number]) => ({
  version: "0",
  id: "00000000-0000-4000-8000-000000000000",
  "detail-type": e.entry.DetailType,
  source: e.entry.Source,
  account: "123456789012",
  time: e.at.toISOString(),
  region: "us-east-1",
  resources: [],
  detail: JSON.parse(e.entry.Detail ?? "{}"),
});

describe("synthetic partner purchases", () => {
  it("adds valid partner purchases and refunds from each partner's registered sources", () => {
    const purchases = added.filter((e) => e.entry.DetailType === "Purchase Completed");
    const refunds = added.filter((e) => e.entry.DetailType === "Purchase Refunded");
    expect(purchases.length).toBeGreaterThan(
      0.1 * retail.filter((e) => e.entry.DetailType === "Purchase Completed").length,
    );
    expect(refunds.length).toBeGreaterThan(0);
    for (const event of added) {
      expect(parseInbound(envelope(event)).ok).toBe(true);
      const id = event.entry.Source?.split(".")[2];
      const partner = exampleProgram.partners.find((p) => p.id === id);
      expect(partner && partnerAcceptsSource(partner, event.entry.Source ?? "")).toBe(true);
      expect(event.at.getTime()).toBeLessThanOrEqual(endAt.getTime());
    }
    for (const partner of EXAMPLE_PARTNERS)
      expect(purchases.some((e) => e.entry.Source?.includes(partner.id))).toBe(true);
    for (const refund of refunds) {
      const { originalOrderId } = JSON.parse(refund.entry.Detail ?? "{}") as { originalOrderId: string };
      const purchase = purchases.find((e) => JSON.parse(e.entry.Detail ?? "{}").orderId === originalOrderId);
      expect(purchase?.entry.Source).toBe(refund.entry.Source);
      expect(refund.at.getTime()).toBeGreaterThan(purchase?.at.getTime() ?? Number.POSITIVE_INFINITY);
    }
  });

  it("keeps the retailer's events, in time order, the same for the same seed and none at rate 0", () => {
    expect(events.filter((e) => !e.entry.Source?.startsWith("retail.partner."))).toEqual(retail);
    expect(events.map((e) => e.at.getTime())).toEqual(
      [...events.map((e) => e.at.getTime())].sort((a, b) => a - b),
    );
    expect(withPartnerPurchases(retail, options)).toEqual(events);
    expect(withPartnerPurchases(retail, { ...options, partnerRate: 0 })).toEqual(retail);
  });
});
