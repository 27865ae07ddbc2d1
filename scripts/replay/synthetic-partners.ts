import type { PurchaseCompleted } from "../../events/inbound/purchase-completed";
import type { PurchaseRefunded } from "../../events/inbound/purchase-refunded";
import type { ReplayEvent } from "./replay-events";
import { seededRandom } from "./synthetic-log";

// Coalition partners for the synthetic replay (issue #18): after a share of the retailer's purchases the member
// also buys with one of the example program's partners 0–3 days later, from that partner's till
// (`retail.partner.<id>.till-<n>`), and a share of those partner orders are returned in full 1–5 days after.
// Deterministic by seed, on a PRNG stream of its own (the purchase log is the same with or without it).

export interface PartnerOptions {
  seed: number;
  /** Share of purchases followed by a partner purchase (default DEFAULT_PARTNER_RATE). */
  partnerRate?: number;
  /** Share of partner purchases refunded in full (default DEFAULT_PARTNER_REFUND_RATE). */
  refundRate?: number;
  /** The partners and what they sell, e.g. the example program's cafe-lumen (coffee) and velo-fuel (accessories). */
  partners: readonly { id: string; category: string; sku: string }[];
  /** The log's last instant; later events are left out. */
  endAt: Date;
}

export const DEFAULT_PARTNER_RATE = 0.15;
export const DEFAULT_PARTNER_REFUND_RATE = 0.1;
/** The example program's partners (domain/program/example-program.ts) and what each sells. */
export const EXAMPLE_PARTNERS = [
  { id: "cafe-lumen", category: "coffee", sku: "LUMEN-LATTE" },
  { id: "velo-fuel", category: "accessories", sku: "VELO-SERVICE" },
] as const;

const STREAM = 0x9a27e5c3;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const TILLS = 3;

/** The purchases (and events) with the partner purchases and refunds added, in time order. */
export function withPartnerPurchases(events: readonly ReplayEvent[], options: PartnerOptions): ReplayEvent[] {
  const random = seededRandom((options.seed ^ STREAM) >>> 0);
  const rate = options.partnerRate ?? DEFAULT_PARTNER_RATE;
  const refundRate = options.refundRate ?? DEFAULT_PARTNER_REFUND_RATE;
  const added: ReplayEvent[] = [];
  let n = 0;
  for (const event of events) {
    if (event.entry.DetailType !== "Purchase Completed") continue;
    const draw = random();
    const pick = random();
    const delay = random();
    const amount = random();
    const refund = random();
    const refundDelay = random();
    if (draw >= rate || options.partners.length === 0) continue;
    const partner = options.partners[
      Math.floor(pick * options.partners.length)
    ] as PartnerOptions["partners"][number];
    const original = JSON.parse(event.entry.Detail ?? "{}") as PurchaseCompleted;
    // Daytime, 0–3 days after the retailer's purchase.
    const at = new Date(event.at.getTime() + Math.floor(delay * 3 * DAY_MS) + HOUR_MS);
    if (at > options.endAt) continue;
    n += 1;
    const till = `till-${1 + (n % TILLS)}`;
    const source = `retail.partner.${partner.id}.${till}`;
    const orderId = `ptn-${partner.id}-${n}`;
    const unitPrice = 300 + Math.floor(amount * 4_700);
    const purchase: PurchaseCompleted = {
      schemaVersion: "1",
      orderId,
      memberId: original.memberId,
      channel: "pos",
      storeId: `${partner.id}-${till}`,
      occurredAt: at.toISOString(),
      currency: original.currency,
      lines: [{ sku: partner.sku, category: partner.category, quantity: 1, unitPrice }],
      discountTotal: 0,
      total: unitPrice,
    };
    added.push({
      at,
      entry: { Source: source, DetailType: "Purchase Completed", Detail: JSON.stringify(purchase) },
    });
    const refundAt = new Date(at.getTime() + Math.floor((1 + refundDelay * 4) * DAY_MS));
    if (refund >= refundRate || refundAt > options.endAt) continue;
    const refunded: PurchaseRefunded = {
      schemaVersion: "1",
      refundId: `rf-${orderId}`,
      originalOrderId: orderId,
      memberId: original.memberId,
      occurredAt: refundAt.toISOString(),
      currency: original.currency,
      lines: [{ sku: partner.sku, quantity: 1 }],
    };
    added.push({
      at: refundAt,
      entry: { Source: source, DetailType: "Purchase Refunded", Detail: JSON.stringify(refunded) },
    });
  }
  return [...events, ...added].sort((a, b) => a.at.getTime() - b.at.getTime());
}
