import type { PresentedCode } from "./offers/offer-redemption";

// What the use cases need from inbound events, already validated by the handler layer. The domain defines its
// own shapes so it never depends on event envelopes or schema versions.

export type Channel = "pos" | "web" | "app";

export interface PurchaseLineFacts {
  sku: string;
  category: string;
  quantity: number;
  /** Price per unit as charged, in minor units. */
  unitPriceMinor: number;
}

export interface PurchaseFacts {
  /** Business idempotency key of the purchase, e.g. "purchase:retail.pos.store-042:O-1001". */
  sourceKey: string;
  orderId: string;
  channel: Channel;
  storeId?: string;
  /** ISO 8601 with offset. */
  occurredAt: string;
  currency: string;
  /** 100 for EUR, 1 for JPY, 1000 for KWD (from the currency table). */
  minorUnitsPerMajor: number;
  lines: PurchaseLineFacts[];
  discountMinor: number;
  /** Sum of quantity × unitPriceMinor minus discountMinor. */
  totalMinor: number;
  /** Offer codes the order carried (normalised), each with the member's instance of it when one exists. */
  offerCodes?: PresentedCode[];
  /** The producer's source; a partner's (`retail.partner.<id>.…`) makes it a purchase with that partner. */
  source?: string;
  /** True when the order was paid with a payment method the member's referrer used (no referral reward). */
  sharesReferrerPayment?: boolean;
  /** Hash of the payment method's fingerprint (the adapter hashes it), kept while referrals are on. */
  paymentKey?: string;
}

/** A refund names either returned lines or an amount (exactly one). */
export interface RefundFacts {
  sourceKey: string;
  refundId: string;
  occurredAt: string;
  /** ISO 4217; must be the original order's. */
  currency: string;
  lines?: { sku: string; quantity: number }[];
  amountMinor?: number;
}

export interface InteractionFacts {
  sourceKey: string;
  interactionId: string;
  kind: string;
  occurredAt: string;
  /** Where it happened, when the producer said (survey scores keep it for the KPIs by channel and store). */
  channel?: Channel;
  storeId?: string;
  attributes?: Record<string, string | number | boolean>;
}
