// Which orders a producer may refund: those of any of its own sources (one store takes back what another
// sold), unless the retailer made it a refund authority (e.g. the stores that take back web orders). The
// envelope's source proves the producer (IAM pins `events:source` to its patterns); `originalOrderSource`
// is only what the producer claims.

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
  /** Each producer's source patterns; default none, so only the sender's own source is its producer's. */
  producerSources?: readonly (readonly string[])[];
  /** Source patterns of producers the retailer marked as refund authorities. */
  refundAuthoritySources: readonly string[];
}): RefundOriginDecision {
  const original = refund.originalOrderSource;
  if (original === undefined || original === refund.source) return { ok: true };
  const matchesAny = (patterns: readonly string[], source: string) =>
    patterns.some((pattern) => matchesSourcePattern(pattern, source));
  // One producer must own both sources: two producers owning one each would let one speak for the other.
  const sameProducer = (refund.producerSources ?? []).some(
    (patterns) => matchesAny(patterns, refund.source) && matchesAny(patterns, original),
  );
  if (sameProducer || matchesAny(refund.refundAuthoritySources, refund.source)) return { ok: true };
  return {
    ok: false,
    reason: "refund-of-foreign-order",
    path: "detail.originalOrderSource",
    message:
      "refunds an order from another source than its producer's; only a producer marked as a refund authority may",
  };
}
