import { describe, expect, it } from "vitest";
import { detailTypeSlug, eventList, inboundEvents, outboundEvents } from "../../../events/catalog";
import { matchesPattern } from "../../../events/pattern-matcher";
import { consumerRules, UNROUTED_CONSUMER } from "../../../events/rules";
import { isProducerSource, PATRON_SOURCE, PRODUCER_SOURCE_PREFIX } from "../../../events/sources";
import { loadSample } from "./load-samples";

const routedTo = (event: unknown) =>
  consumerRules.filter((rule) => matchesPattern(rule.eventPattern, event)).map((rule) => rule.consumer);

describe("consumerRules", () => {
  it("has one rule per inbound consumer and the catch-all, with unique ids", () => {
    expect(consumerRules.map((rule) => rule.consumer).sort()).toEqual([
      "interaction-recorded",
      "member-enrolled",
      "member-updated",
      "purchase-completed",
      "purchase-refunded",
      "referral-completed",
      "unrouted-events",
    ]);
    expect(new Set(consumerRules.map((rule) => rule.id)).size).toBe(consumerRules.length);
  });

  it.each(Object.values(inboundEvents))(
    "routes the $detailType sample to exactly its consumer",
    (definition) => {
      expect(routedTo(loadSample(definition))).toEqual([detailTypeSlug(definition.detailType)]);
    },
  );

  it("routes any producer source under the prefix", () => {
    const sample = loadSample(inboundEvents.purchaseCompleted);
    expect(routedTo({ ...sample, source: "retail.app.android" })).toEqual(["purchase-completed"]);
  });

  it("never routes Patron's own events but Referral Completed, nor inbound detail-types re-published under another source", () => {
    for (const definition of Object.values(outboundEvents))
      expect(routedTo(loadSample(definition))).toEqual(
        definition === outboundEvents.referralCompleted ? ["referral-completed"] : [],
      );
    for (const definition of eventList) {
      if (definition === outboundEvents.referralCompleted) continue;
      const sample = loadSample(definition);
      expect(routedTo({ ...sample, source: "patron" })).toEqual([]);
      expect(routedTo({ ...sample, source: "aws.events" })).toEqual([]);
    }
  });

  it("routes Referral Completed from Patron only: a producer sending it is parked as unrouted", () => {
    const sample = loadSample(outboundEvents.referralCompleted);
    expect(routedTo({ ...sample, source: "aws.events" })).toEqual([]);
    expect(routedTo({ ...sample, source: "retail.pos.x" })).toEqual([UNROUTED_CONSUMER]);
  });

  it("routes producer events no consumer handles to the catch-all alone: misspelt, unknown or Patron's own types", () => {
    const sample = loadSample(inboundEvents.purchaseCompleted);
    const detailTypes = [
      "Purchase Complete",
      "purchase completed",
      "Purchase Completed ",
      "Gift Card Activated",
      outboundEvents.pointsEarned.detailType,
    ];
    for (const detailType of detailTypes)
      expect(routedTo({ ...sample, "detail-type": detailType }), detailType).toEqual([UNROUTED_CONSUMER]);
    expect(routedTo({ ...sample, source: "shop.pos.x", "detail-type": "Gift Card Activated" })).toEqual([]);
  });

  it("is plain JSON data (what CDK and the local bus both consume)", () => {
    expect(JSON.parse(JSON.stringify(consumerRules))).toEqual(consumerRules);
  });
});

describe("producer source convention", () => {
  it("accepts retail.<channel-or-system>.<name> and nothing that a rule or IAM prefix could confuse", () => {
    for (const source of [
      "retail.pos.store-042",
      "retail.web.shop",
      "retail.app.ios",
      "retail.crm.hubspot.eu",
    ]) {
      expect(isProducerSource(source), source).toBe(true);
    }
    for (const source of [
      "patron",
      "retail",
      "retail.pos",
      "retail.POS.store",
      "aws.events",
      "retailer.pos.x",
      "retail..x",
    ]) {
      expect(isProducerSource(source), source).toBe(false);
    }
    expect(isProducerSource(`retail.pos.${"a".repeat(250)}`)).toBe(false);
    expect(PRODUCER_SOURCE_PREFIX).toBe("retail.");
    expect(PATRON_SOURCE.startsWith(PRODUCER_SOURCE_PREFIX)).toBe(false);
  });
});
