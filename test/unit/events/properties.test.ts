import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inboundEvents } from "../../../events/catalog";
import { currencyCodes } from "../../../events/currencies";
import { parseInbound } from "../../../events/envelope";
import { purchaseRefundedSchema } from "../../../events/inbound/purchase-refunded";
import { matchesPattern } from "../../../events/pattern-matcher";
import { birthdaySchema } from "../../../events/primitives";
import { loadSample } from "./load-samples";

const id = (max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`));
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An instant rendered as local time at a real UTC offset, e.g. 2025-03-14T17:42:05.120+01:00. */
const occurredAt = fc
  .tuple(
    fc.date({
      min: new Date("2000-01-01T00:00:00Z"),
      max: new Date("2099-12-31T00:00:00Z"),
      noInvalidDate: true,
    }),
    fc.constantFrom(0, 60, 120, -300, 330, 345, -570, 840),
  )
  .map(([date, offset]) => {
    const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, -1);
    const sign = offset < 0 ? "-" : "+";
    return offset === 0
      ? `${local}Z`
      : `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  });

const line = fc.record({
  sku: id(64),
  category: id(64),
  quantity: fc.integer({ min: 1, max: 1000 }),
  unitPrice: fc.integer({ min: 0, max: 1_000_000 }),
});

const purchase = fc
  .record({
    orderId: id(128),
    memberId: id(64),
    channel: fc.constantFrom("pos", "web", "app"),
    storeId: id(64),
    occurredAt,
    currency: fc.constantFrom(...currencyCodes),
    lines: fc.array(line, { minLength: 1, maxLength: 20 }),
  })
  .chain((detail) => {
    const subtotal = detail.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
    return fc.integer({ min: 0, max: subtotal }).map((discountTotal) => ({
      schemaVersion: "1",
      ...detail,
      discountTotal,
      total: subtotal - discountTotal,
    }));
  });

const source = fc.constantFrom("retail.pos.store-042", "retail.web.shop", "retail.app.ios");
const envelope = loadSample(inboundEvents.purchaseCompleted);

type Purchase = Record<string, unknown> & { lines: Array<Record<string, unknown>>; total: number };
type Mutation = { path: string; mutate: (p: Purchase) => Purchase };

const withLine = (p: Purchase, i: number, patch: Record<string, unknown>): Purchase => ({
  ...p,
  lines: p.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)),
});

/** One field made invalid, and the error path that must name it. */
const mutation = (p: Purchase): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc
      .tuple(
        fc.nat(p.lines.length - 1),
        fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 0.01, max: 9.99, noNaN: true })),
      )
      .map(([i, quantity]) => ({
        path: `detail.lines[${i}].quantity`,
        mutate: (x: Purchase) => withLine(x, i, { quantity }),
      })),
    fc.tuple(fc.nat(p.lines.length - 1), fc.integer({ min: -1_000_000, max: -1 })).map(([i, unitPrice]) => ({
      path: `detail.lines[${i}].unitPrice`,
      mutate: (x: Purchase) => withLine(x, i, { unitPrice }),
    })),
    fc
      .stringMatching(/^[A-Z]{3}$/)
      .filter((code) => !currencyCodes.includes(code))
      .map((currency) => ({ path: "detail.currency", mutate: (x: Purchase) => ({ ...x, currency }) })),
    fc.constant({
      path: "detail.occurredAt",
      mutate: (x: Purchase) => ({ ...x, occurredAt: String(x.occurredAt).replace(/(Z|[+-]\d\d:\d\d)$/, "") }),
    }),
    fc
      .stringMatching(/^[^A-Za-z0-9_-]$/)
      .map((bad) => ({ path: "detail.memberId", mutate: (x: Purchase) => ({ ...x, memberId: `m${bad}1` }) })),
    fc.integer({ min: 1, max: 1000 }).map((delta) => ({
      path: "detail.total",
      mutate: (x: Purchase) => ({ ...x, total: x.total + delta }),
    })),
  );

describe("purchase contract properties", () => {
  it("accepts every well-formed purchase and keys it by source + order id", () => {
    fc.assert(
      fc.property(purchase, source, (detail, src) => {
        const result = parseInbound({ ...envelope, source: src, detail });
        expect(result.ok ? [] : result.errors).toEqual([]);
        expect(result.ok && result.idempotencyKey).toBe(`purchase:${src}:${detail.orderId}`);
      }),
    );
  });

  it("rejects a purchase with one invalid field, naming exactly that field", () => {
    fc.assert(
      fc.property(
        purchase.chain((p) => fc.tuple(fc.constant(p), mutation(p as Purchase))),
        ([detail, { path, mutate }]) => {
          const broken = mutate(detail as Purchase);
          const result = parseInbound({ ...envelope, detail: broken });
          expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual([path]);
        },
      ),
    );
  });
});

describe("refund and birthday properties", () => {
  it("accepts a refund iff it has exactly one of lines and amount", () => {
    const base = loadSample(inboundEvents.purchaseRefunded).detail;
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 10_000 }),
        (hasLines, hasAmount, amount) => {
          const refund = {
            ...base,
            lines: hasLines ? base.lines : undefined,
            amount: hasAmount ? amount : undefined,
          };
          expect(purchaseRefundedSchema.safeParse(refund).success).toBe(hasLines !== hasAmount);
        },
      ),
    );
  });

  it("accepts every real calendar date as a birthday, with or without the year", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-01-01T00:00:00Z"),
          max: new Date("2030-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (date) => {
          const [year, month, day] = [
            date.getUTCFullYear(),
            pad(date.getUTCMonth() + 1),
            pad(date.getUTCDate()),
          ];
          expect(birthdaySchema.safeParse(`${pad(year, 4)}-${month}-${day}`).success).toBe(true);
          expect(birthdaySchema.safeParse(`--${month}-${day}`).success).toBe(true);
        },
      ),
    );
  });
});

describe("pattern matcher properties", () => {
  it("prefix matches exactly the strings that start with it", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (prefix, value) => {
        expect(matchesPattern({ source: [{ prefix }] }, { source: value })).toBe(value.startsWith(prefix));
      }),
    );
  });

  it("anything-but a list matches exactly the values outside it, and a value list the values inside it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "b", "c", "d")),
        fc.constantFrom("a", "b", "c", "d"),
        (list, value) => {
          expect(matchesPattern({ k: [{ "anything-but": list }] }, { k: value })).toBe(!list.includes(value));
          expect(matchesPattern({ k: list }, { k: value })).toBe(list.includes(value));
        },
      ),
    );
  });
});
