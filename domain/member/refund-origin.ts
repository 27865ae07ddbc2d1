// Which orders a producer may refund: its own, unless the retailer made it a refund authority (e.g. the
// stores that take back web orders). The envelope's source is the producer's proven identity (IAM pins
// `events:source`); `originalOrderSource` is only what the producer claims.

/**
 * IAM's StringLike, as an `events:source` condition evaluates it: `*` is any run of characters, `?` one
 * character, everything else literal. The local bus checks producers with the same function.
 */
export function matchesSourcePattern(pattern: string, value: string): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`).test(value);
}

export type RefundOriginDecision =
  | { ok: true }
  | { ok: false; reason: "refund-of-foreign-order"; path: "detail.originalOrderSource"; message: string };

export function refundOrigin(refund: {
  /** The envelope's source: who sent the refund. */
  source: string;
  originalOrderSource?: string | undefined;
  /** Source patterns of producers the retailer marked as refund authorities. */
  refundAuthoritySources: readonly string[];
}): RefundOriginDecision {
  const original = refund.originalOrderSource;
  if (original === undefined || original === refund.source) return { ok: true };
  if (refund.refundAuthoritySources.some((pattern) => matchesSourcePattern(pattern, refund.source))) {
    return { ok: true };
  }
  return {
    ok: false,
    reason: "refund-of-foreign-order",
    path: "detail.originalOrderSource",
    message: "refunds an order from another source; only a producer marked as a refund authority may",
  };
}
