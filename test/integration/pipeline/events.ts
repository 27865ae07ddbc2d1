// Inbound events as producers send them, and a seeded generator of per-member workloads.

export interface Envelope {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

let counter = 0;

export function envelope(
  detailType: string,
  detail: Record<string, unknown>,
  options: { id?: string; source?: string } = {},
): Envelope {
  counter += 1;
  return {
    version: "0",
    id: options.id ?? `evt-${counter.toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
    "detail-type": detailType,
    source: options.source ?? "retail.pos.store-042",
    account: "123456789012",
    time:
      typeof detail.occurredAt === "string"
        ? new Date(detail.occurredAt).toISOString()
        : "2025-03-01T00:00:00Z",
    region: "eu-west-1",
    resources: [],
    detail,
  };
}

export interface Line {
  sku: string;
  category: string;
  quantity: number;
  unitPrice: number;
}

export function purchase(memberId: string, orderId: string, occurredAt: string, lines: Line[], discount = 0) {
  const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return envelope("Purchase Completed", {
    schemaVersion: "1",
    orderId,
    memberId,
    channel: "pos",
    storeId: "store-042",
    occurredAt,
    currency: "EUR",
    lines,
    discountTotal: discount,
    total: subtotal - discount,
  });
}

export function refund(
  memberId: string,
  refundId: string,
  originalOrderId: string,
  occurredAt: string,
  what: { amount: number } | { lines: { sku: string; quantity: number }[] },
) {
  return envelope("Purchase Refunded", {
    schemaVersion: "1",
    refundId,
    originalOrderId,
    memberId,
    occurredAt,
    currency: "EUR",
    ...what,
  });
}

export function interaction(memberId: string, interactionId: string, kind: string, occurredAt: string) {
  return envelope("Interaction Recorded", { schemaVersion: "1", interactionId, memberId, kind, occurredAt });
}

export function enrolment(memberId: string, occurredAt: string, email = `${memberId}@example.com`) {
  return envelope("Member Enrolled", {
    schemaVersion: "1",
    memberId,
    occurredAt,
    email,
    locale: "en-GB",
    timeZone: "Europe/London",
    consent: { email: true, sms: false, push: false },
    profile: { givenName: "Jane", familyName: "Doe" },
  });
}

/** Small deterministic PRNG (mulberry32) so a failing workload can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATALOGUE: Omit<Line, "quantity">[] = [
  { sku: "TEE-01", category: "apparel", unitPrice: 1999 },
  { sku: "SNEAKER-9", category: "shoes", unitPrice: 8900 },
  { sku: "COF-HOUSE-250", category: "coffee", unitPrice: 1250 },
  { sku: "CROISSANT", category: "bakery", unitPrice: 1100 },
  { sku: "MILK-1L", category: "grocery", unitPrice: 1500 },
];
const KINDS = ["review-written", "survey-answered", "referral-converted", "complaint-resolved", "app-login"];

/**
 * `events` logical events over `members` members in March 2025: purchases (each ≥ EUR 10, so any of
 * them may earn the welcome bonus), at most one PARTIAL refund per order (a full refund would take
 * the welcome bonus back from whichever purchase happened to get it — order-dependent), and
 * interactions. Every event is listed in its member's order of occurrence.
 */
export function generateWorkload(seed: number, members: number, events: number): Envelope[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const out: Envelope[] = [];
  const orders = new Map<string, { orderId: string; lines: Line[]; total: number; refunded: boolean }[]>();
  const minutes = new Map<string, number>();
  for (let n = 0; n < events; n += 1) {
    const memberId = `m${String(n % members).padStart(3, "0")}`;
    // Each member's events move forward in time through 3-24 March.
    const minute = (minutes.get(memberId) ?? 0) + 1 + Math.floor(random() * 2000);
    minutes.set(memberId, minute);
    const occurredAt = new Date(Date.UTC(2025, 2, 3) + minute * 60_000).toISOString();
    const open = (orders.get(memberId) ?? []).filter((o) => !o.refunded);
    const roll = random();
    if (roll < 0.2 && open.length > 0) {
      const order = pick(open);
      order.refunded = true;
      const byLine = order.lines.length > 1 && random() < 0.5;
      out.push(
        refund(
          memberId,
          `R-${n}`,
          order.orderId,
          occurredAt,
          byLine
            ? { lines: [{ sku: order.lines[0]?.sku ?? "", quantity: order.lines[0]?.quantity ?? 1 }] }
            : { amount: Math.max(1, Math.floor(order.total * (0.1 + random() * 0.8))) },
        ),
      );
    } else if (roll < 0.35) {
      out.push(interaction(memberId, `I-${n}`, pick(KINDS), occurredAt));
    } else {
      const count = 1 + Math.floor(random() * 3);
      const skus = [...CATALOGUE].sort(() => random() - 0.5).slice(0, count);
      const lines = skus.map((item) => ({ ...item, quantity: 1 + Math.floor(random() * 2) }));
      const orderId = `O-${n}`;
      const event = purchase(memberId, orderId, occurredAt, lines);
      orders.set(memberId, [
        ...(orders.get(memberId) ?? []),
        { orderId, lines, total: Number(event.detail.total), refunded: false },
      ]);
      out.push(event);
    }
  }
  return out;
}

/**
 * The workload as producers and EventBridge deliver it: some events twice (same envelope), some re-sent by the
 * producer with a new id and occurredAt moved up to two hours either way (never past `now`).
 */
export function withRetries(workload: readonly Envelope[], seed: number, now: string): Envelope[] {
  const random = seededRandom(seed);
  return workload.flatMap((event) => {
    const copies = [event];
    const extra = Math.floor(random() * 3);
    for (let i = 0; i < extra; i += 1) {
      if (random() < 0.5) {
        copies.push(event);
        continue;
      }
      const shifted =
        Date.parse(String(event.detail.occurredAt)) + Math.round((random() * 2 - 1) * 2 * 3_600_000);
      const occurredAt = new Date(Math.min(shifted, Date.parse(now))).toISOString();
      copies.push({ ...event, id: `${event.id}-retry-${i}`, detail: { ...event.detail, occurredAt } });
    }
    return copies;
  });
}
