import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import {
  attachCapacityCounter,
  type CapacityCounter,
} from "../../../functions/adapters/dynamo/capacity-counter";
import { type Envelope, enrolment, envelope, interaction, purchase, refund } from "./events";
import { createHarness, type Harness } from "./harness";

// 1,000 malformed or near-miss events: each is a valid event with one thing wrong. Every one must be
// rejected with an error naming the broken field, reach the dead-letter sink, write nothing (not even
// read), and be logged without the event's personal data.

const NOW = "2025-03-28T12:00:00Z";
const EMAIL = "jane.doe@example.com";

const valid = (): Envelope[] => [
  purchase("m1", "O-1", "2025-03-10T10:00:00+01:00", [
    { sku: "TEE-01", category: "apparel", quantity: 2, unitPrice: 1999 },
    { sku: "CROISSANT", category: "bakery", quantity: 1, unitPrice: 250 },
  ]),
  refund("m1", "R-1", "O-1", "2025-03-11T10:00:00Z", { amount: 500 }),
  interaction("m1", "I-1", "review-written", "2025-03-11T10:00:00Z"),
  enrolment("m1", "2025-03-01T10:00:00Z", EMAIL),
  envelope("Member Updated", {
    schemaVersion: "1",
    memberId: "m1",
    occurredAt: "2025-03-02T10:00:00Z",
    email: EMAIL,
  }),
];

type Mutation = (
  event: Envelope,
  value: unknown,
  key: string,
) => { event: Envelope; path: string } | undefined;

const withDetail = (event: Envelope, detail: Record<string, unknown>): Envelope => ({ ...event, detail });
const detailKeys = (event: Envelope) => Object.keys(event.detail);

const mutations: Record<string, Mutation> = {
  "missing field": (event, _v, key) => {
    const field = Object.hasOwn(event.detail, key) ? key : (detailKeys(event)[0] as string);
    const { [field]: _dropped, ...rest } = event.detail;
    if (event["detail-type"] === "Member Updated" && field === "email") return undefined; // optional there
    return { event: withDetail(event, rest), path: `detail.${field}` };
  },
  "unknown field": (event, value, key) => ({
    event: withDetail(event, { ...event.detail, [`x${key}`]: value }),
    path: `detail.x${key}`,
  }),
  "wrong type": (event, _v, key) => {
    const field = Object.hasOwn(event.detail, key) ? key : (detailKeys(event)[0] as string);
    const current = event.detail[field];
    const wrong = typeof current === "string" ? 42 : "forty-two";
    return { event: withDetail(event, { ...event.detail, [field]: wrong }), path: `detail.${field}` };
  },
  "bad member id": (event, value) => ({
    event: withDetail(event, { ...event.detail, memberId: `m 1${String(value)}` }),
    path: "detail.memberId",
  }),
  "naive occurredAt": (event) => ({
    event: withDetail(event, { ...event.detail, occurredAt: "2025-03-10T10:00:00" }),
    path: "detail.occurredAt",
  }),
  "future schema version": (event) => ({
    event: withDetail(event, { ...event.detail, schemaVersion: "2" }),
    path: "detail.schemaVersion",
  }),
  "foreign source": (event, _v, key) => ({
    event: { ...event, source: `shop.${key.toLowerCase()}` },
    path: "source",
  }),
  "missing envelope id": (event) => {
    const { id: _id, ...rest } = event;
    return { event: rest as Envelope, path: "id" };
  },
  "unknown detail-type": (event, _v, key) => ({
    event: { ...event, "detail-type": `Purchase ${key}` },
    path: "detail-type",
  }),
  "total off by some cents": (event, value) =>
    event["detail-type"] === "Purchase Completed"
      ? {
          event: withDetail(event, {
            ...event.detail,
            total: Number(event.detail.total) + 1 + (Number(value) % 50 || 0),
          }),
          path: "detail.total",
        }
      : undefined,
  "zero quantity": (event) =>
    event["detail-type"] === "Purchase Completed"
      ? {
          event: withDetail(event, {
            ...event.detail,
            lines: (event.detail.lines as Record<string, unknown>[]).map((l, i) =>
              i === 1 ? { ...l, quantity: 0 } : l,
            ),
          }),
          path: "detail.lines[1].quantity",
        }
      : undefined,
  "lowercase currency": (event) =>
    "currency" in event.detail
      ? { event: withDetail(event, { ...event.detail, currency: "eur" }), path: "detail.currency" }
      : undefined,
  "refund with lines and amount": (event) =>
    event["detail-type"] === "Purchase Refunded"
      ? {
          event: withDetail(event, { ...event.detail, lines: [{ sku: "TEE-01", quantity: 1 }] }),
          path: "detail.amount",
        }
      : undefined,
  "invalid e-mail": (event) =>
    "email" in event.detail
      ? { event: withDetail(event, { ...event.detail, email: "jane.doe@" }), path: "detail.email" }
      : undefined,
};

describe("malformed and near-miss events", () => {
  let harness: Harness;
  let counter: CapacityCounter;
  beforeAll(async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    counter = attachCapacityCounter(harness.client);
  });
  afterAll(async () => harness?.close());

  it("are all rejected with field-specific errors and write nothing", { timeout: 300_000 }, async () => {
    const warn = vi.spyOn(harness.deps.logger, "warn");
    const bases = valid();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.constantFrom(...Object.keys(mutations)),
        fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        fc.stringMatching(/^[A-Za-z]{1,12}$/),
        async (baseIndex, name, value, key) => {
          const base = structuredClone(bases[baseIndex] as Envelope);
          const mutated = mutations[name]?.(base, value, key);
          fc.pre(mutated !== undefined);
          if (!mutated) return;
          runs += 1;
          const result = await harness.deliver(mutated.event);
          expect(result.status, name).toBe("rejected");
          if (result.status !== "rejected") return;
          expect(
            result.errors.map((e) => e.path),
            name,
          ).toContain(mutated.path);
          for (const error of result.errors) expect(error.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000, seed: 42 },
    );
    expect(runs).toBeGreaterThanOrEqual(1000);
    expect(harness.rejected.items).toHaveLength(runs);
    expect(
      harness.rejected.items.every((item) => item.reason === "INVALID_EVENT" && item.event !== undefined),
    ).toBe(true);
    expect(counter.total().requests).toBe(0);
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain("event rejected");
    expect(logged).not.toContain(EMAIL);
    expect(logged).not.toContain("Jane");
  });
});
