import { describe, expect, it } from "vitest";
import { inboundEvents, outboundEvents } from "../../../events/catalog";
import { parseInbound } from "../../../events/envelope";
import type { FieldError } from "../../../events/validation-errors";
import { loadSample } from "./load-samples";

function errorsOf(envelope: unknown): FieldError[] {
  const result = parseInbound(envelope);
  if (result.ok) throw new Error("expected the envelope to be rejected");
  return result.errors;
}

function withDetail(
  definition: (typeof inboundEvents)[keyof typeof inboundEvents],
  patch: Record<string, unknown>,
) {
  const envelope = loadSample(definition);
  return { ...envelope, detail: { ...envelope.detail, ...patch } };
}

const purchase = loadSample(inboundEvents.purchaseCompleted);
const lines = purchase.detail.lines as Array<Record<string, unknown>>;

describe("parseInbound rejects, naming the field and why", () => {
  it.each<[string, unknown, string, RegExp]>([
    [
      "negative quantity",
      withDetail(inboundEvents.purchaseCompleted, { lines: [{ ...lines[0], quantity: -2 }] }),
      "detail.lines[0].quantity",
      /positive whole number/,
    ],
    [
      "zero quantity",
      withDetail(inboundEvents.purchaseCompleted, { lines: [lines[0], { ...lines[1], quantity: 0 }] }),
      "detail.lines[1].quantity",
      /positive whole number/,
    ],
    [
      "fractional price (not minor units)",
      withDetail(inboundEvents.purchaseCompleted, { lines: [{ ...lines[0], unitPrice: 12.99 }] }),
      "detail.lines[0].unitPrice",
      /whole number of minor units/,
    ],
    [
      "negative discount",
      withDetail(inboundEvents.purchaseCompleted, { discountTotal: -1 }),
      "detail.discountTotal",
      /must not be negative/,
    ],
    [
      "unknown currency",
      withDetail(inboundEvents.purchaseCompleted, { currency: "EUX" }),
      "detail.currency",
      /^unknown currency; expected an ISO 4217 code/,
    ],
    [
      "naive timestamp without offset",
      withDetail(inboundEvents.purchaseCompleted, { occurredAt: "2025-03-14T17:42:05" }),
      "detail.occurredAt",
      /with a UTC offset/,
    ],
    [
      "impossible date",
      withDetail(inboundEvents.interactionRecorded, { occurredAt: "2025-02-30T10:00:00Z" }),
      "detail.occurredAt",
      /ISO 8601/,
    ],
    [
      "total that does not add up",
      withDetail(inboundEvents.purchaseCompleted, { total: 6838 }),
      "detail.total",
      /^total must equal the sum of quantity x unitPrice over lines minus discountTotal$/,
    ],
    [
      "discount larger than the lines",
      withDetail(inboundEvents.purchaseCompleted, { discountTotal: 7000, total: 0 }),
      "detail.discountTotal",
      /^discountTotal exceeds the sum of quantity x unitPrice/,
    ],
    [
      "purchase without lines",
      withDetail(inboundEvents.purchaseCompleted, { lines: [] }),
      "detail.lines",
      /at least one line/,
    ],
    [
      "unsafe member id",
      withDetail(inboundEvents.purchaseCompleted, { memberId: "m 1; DROP" }),
      "detail.memberId",
      /member id must be 1-64 characters/,
    ],
    [
      "unknown channel",
      withDetail(inboundEvents.purchaseCompleted, { channel: "kiosk" }),
      "detail.channel",
      /"pos"\|"web"\|"app"/,
    ],
    [
      "missing required field",
      withDetail(inboundEvents.purchaseCompleted, { orderId: undefined }),
      "detail.orderId",
      /is required/,
    ],
    [
      "unknown field (strict contract)",
      withDetail(inboundEvents.purchaseCompleted, { lines: [{ ...lines[0], colour: "red" }] }),
      "detail.lines[0].colour",
      /unknown field/,
    ],
    [
      "wrong schema version",
      withDetail(inboundEvents.purchaseCompleted, { schemaVersion: "2" }),
      "detail.schemaVersion",
      /must be "1"/,
    ],
    [
      "bad e-mail",
      withDetail(inboundEvents.memberEnrolled, { email: "ada@" }),
      "detail.email",
      /valid e-mail address/,
    ],
    [
      "time zone that is not IANA",
      withDetail(inboundEvents.memberEnrolled, { timeZone: "Mars/Olympus" }),
      "detail.timeZone",
      /IANA time zone/,
    ],
    [
      "bare offset as time zone",
      withDetail(inboundEvents.memberUpdated, { timeZone: "+01:00" }),
      "detail.timeZone",
      /IANA time zone/,
    ],
    [
      "malformed locale",
      withDetail(inboundEvents.memberEnrolled, { locale: "en_GB!" }),
      "detail.locale",
      /BCP 47/,
    ],
    [
      "birthday that does not exist",
      withDetail(inboundEvents.memberEnrolled, { birthday: "--02-30" }),
      "detail.birthday",
      /real date/,
    ],
    [
      "29 February in a common year",
      withDetail(inboundEvents.memberEnrolled, { birthday: "1991-02-29" }),
      "detail.birthday",
      /real date/,
    ],
    [
      "consent missing a channel",
      withDetail(inboundEvents.memberEnrolled, { consent: { email: true, sms: false } }),
      "detail.consent.push",
      /is required/,
    ],
    [
      "member update that changes nothing",
      {
        ...loadSample(inboundEvents.memberUpdated),
        detail: { schemaVersion: "1", memberId: "m_1", occurredAt: "2025-02-02T09:14:01+01:00" },
      },
      "detail",
      /at least one of: email, locale/,
    ],
    [
      "unknown interaction kind",
      withDetail(inboundEvents.interactionRecorded, { kind: "photo-uploaded" }),
      "detail.kind",
      /^unknown interaction kind; expected one of review-written/,
    ],
    [
      "nested interaction attribute",
      withDetail(inboundEvents.interactionRecorded, { attributes: { rating: { stars: 5 } } }),
      "detail.attributes.rating",
      /Invalid input/,
    ],
    [
      "refund with both lines and amount",
      withDetail(inboundEvents.purchaseRefunded, { amount: 3490 }),
      "detail.amount",
      /either lines or amount, not both/,
    ],
    [
      "refund with neither lines nor amount",
      withDetail(inboundEvents.purchaseRefunded, { lines: undefined }),
      "detail.lines",
      /either lines or amount is required/,
    ],
    [
      "refund of zero",
      withDetail(inboundEvents.purchaseRefunded, { lines: undefined, amount: 0 }),
      "detail.amount",
      /positive amount/,
    ],
    [
      "unknown detail-type",
      { ...purchase, "detail-type": "Purchase Complete" },
      "detail-type",
      /^unknown detail-type; expected one of Purchase Completed/,
    ],
    [
      "Patron's own detail-type sent by a producer",
      { ...purchase, "detail-type": outboundEvents.pointsEarned.detailType, detail: {} },
      "detail-type",
      /published by Patron, not accepted from producers/,
    ],
    [
      "source outside the producer convention",
      { ...purchase, source: "patron" },
      "source",
      /retail\.<channel-or-system>\.<name>/,
    ],
    ["envelope without detail-type", { ...purchase, "detail-type": undefined }, "detail-type", /is required/],
    [
      "envelope time without offset",
      { ...purchase, time: "2025-03-14T16:42:09" },
      "time",
      /Invalid ISO datetime/,
    ],
  ])("%s", (_, envelope, path, message) => {
    const errors = errorsOf(envelope);
    expect(errors.map((error) => error.path)).toContain(path);
    expect(errors.find((error) => error.path === path)?.message).toMatch(message);
  });

  it("reports every problem at once", () => {
    const envelope = withDetail(inboundEvents.purchaseCompleted, { currency: "XXX", memberId: "" });
    const errors = errorsOf({ ...envelope, source: "shop" });
    expect(errors.map((error) => error.path).sort()).toEqual([
      "detail.currency",
      "detail.memberId",
      "source",
    ]);
  });

  it("accepts an amount-only refund, a year-less birthday and AWS-added envelope fields", () => {
    expect(
      parseInbound(withDetail(inboundEvents.purchaseRefunded, { lines: undefined, amount: 1299 })).ok,
    ).toBe(true);
    expect(parseInbound(withDetail(inboundEvents.memberEnrolled, { birthday: "--02-29" })).ok).toBe(true);
    expect(parseInbound({ ...purchase, "replay-name": "nightly-replay" }).ok).toBe(true);
  });
});
