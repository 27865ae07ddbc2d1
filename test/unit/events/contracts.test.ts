import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  allEvents,
  eventList,
  eventTable,
  findByDetailType,
  inboundEvents,
  outboundEvents,
  sampleFilePath,
  schemaFilePath,
} from "../../../events/catalog";
import { envelopeSchema, parseInbound } from "../../../events/envelope";
import { eventJsonSchemaText } from "../../../events/json-schema";
import { PATRON_SOURCE, PRODUCER_SOURCE_PREFIX } from "../../../events/sources";
import { loadSample, repoRoot } from "./load-samples";

describe("event catalog", () => {
  it("has the 5 inbound and 15 outbound events (Service Recovery Needed, Points Deducted, Offer Redeemed, Members Merged, Challenge Completed, Referral Completed), with unique ids and detail-types", () => {
    expect(Object.keys(inboundEvents)).toHaveLength(5);
    expect(Object.keys(outboundEvents)).toHaveLength(15);
    expect(new Set(eventList.map((d) => d.detailType)).size).toBe(eventList.length);
    for (const [key, definition] of Object.entries(allEvents)) expect(definition.id).toBe(key);
    expect(findByDetailType("Tier Changed")?.id).toBe("tierChanged");
    expect(findByDetailType("Tier Upgraded")).toBeUndefined();
  });

  it("gives every inbound event a business idempotency key and Patron's events none", () => {
    for (const definition of Object.values(inboundEvents)) {
      expect(definition.direction).toBe("inbound");
      expect(definition.source).toBe(`${PRODUCER_SOURCE_PREFIX}*`);
      expect(typeof definition.idempotencyKey).toBe("function");
    }
    for (const definition of Object.values(outboundEvents)) {
      expect(definition.direction).toBe("outbound");
      expect(definition.source).toBe(PATRON_SOURCE);
      expect(definition.idempotencyKey).toBeUndefined();
    }
  });

  it("exports one README table row per event", () => {
    expect(eventTable.map((row) => row.detailType)).toEqual(eventList.map((d) => d.detailType));
    expect(eventTable.find((row) => row.detailType === "Purchase Completed")?.idempotencyKey).toBe(
      "source + orderId",
    );
  });
});

describe.each(eventList.map((definition) => [definition.detailType, definition] as const))(
  "%s",
  (_, definition) => {
    it("has a sample envelope that validates against the envelope and detail schemas", () => {
      const sample = loadSample(definition);
      expect(envelopeSchema.safeParse(sample).success).toBe(true);
      expect(sample["detail-type"]).toBe(definition.detailType);
      const detail = definition.schema.safeParse(sample.detail);
      expect(detail.error?.issues ?? []).toEqual([]);
      if (definition.direction === "inbound") expect(parseInbound(sample).ok).toBe(true);
      else expect(sample.source).toBe(PATRON_SOURCE);
    });

    it("carries its schema version inside the detail", () => {
      const sample = loadSample(definition);
      expect(sample.detail.schemaVersion).toBe(definition.version);
      const wrong = definition.schema.safeParse({ ...sample.detail, schemaVersion: "99" });
      expect(wrong.error?.issues.map((issue) => issue.path.join("."))).toContain("schemaVersion");
    });

    it("has a committed JSON Schema equal to the one generated from zod (run `npm run schemas`)", () => {
      const path = join(repoRoot, schemaFilePath(definition));
      expect(existsSync(path), `${schemaFilePath(definition)} is missing`).toBe(true);
      expect(readFileSync(path, "utf8")).toBe(eventJsonSchemaText(definition));
    });

    it("rejects unknown fields in the detail (strict contract)", () => {
      const result = definition.schema.safeParse({ ...loadSample(definition).detail, surprise: 1 });
      expect(result.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["surprise"] });
    });
  },
);

describe("committed files", () => {
  it("holds no sample or schema without a definition", () => {
    const samples = readdirSync(join(repoRoot, "events", "samples", "v1")).map(
      (f) => `events/samples/v1/${f}`,
    );
    expect(samples.sort()).toEqual(eventList.map(sampleFilePath).sort());
    const schemas = readdirSync(join(repoRoot, "events", "schemas")).map((f) => `events/schemas/${f}`);
    expect(schemas.sort()).toEqual(eventList.map(schemaFilePath).sort());
  });
});

describe("idempotency keys", () => {
  it("is the same across producer retries (new EventBridge id) and differs per source for purchases", () => {
    const first = loadSample(inboundEvents.purchaseCompleted);
    const retry = { ...first, id: "99999999-0000-4000-8000-000000000000", time: "2025-03-14T16:45:00Z" };
    const otherShop = { ...first, source: "retail.web.shop" };
    const keys = [first, retry, otherShop].map((envelope) => {
      const result = parseInbound(envelope);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.idempotencyKey;
    });
    expect(keys[0]).toBe("purchase:retail.pos.store-042:POS-042-20250314-0187");
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it.each([
    [inboundEvents.purchaseRefunded, "refund:retail.pos.store-042:RF-042-20250320-0009"],
    [inboundEvents.interactionRecorded, "interaction:retail.web.reviews:rev-77431"],
    [inboundEvents.memberEnrolled, "member-enrolled:m_8K2xQ9vT"],
    [inboundEvents.memberUpdated, "member-updated:m_8K2xQ9vT:2025-02-02T09:14:01+01:00"],
  ])("derives the %s key from the detail", (definition, expected) => {
    const result = parseInbound(loadSample(definition));
    expect(result.ok && result.idempotencyKey).toBe(expected);
  });

  it("narrows the detail type by id", () => {
    const result = parseInbound(loadSample(inboundEvents.purchaseCompleted));
    if (!result.ok || result.id !== "purchaseCompleted") throw new Error("expected a purchase");
    expect(result.detail.lines.map((line) => line.quantity)).toEqual([2, 1, 3]);
    expect(result.envelope.source).toBe("retail.pos.store-042");
  });
});
