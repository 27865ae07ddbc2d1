// Stable 32-bit hashing for shards and the holdout group: the same id hashes the same in every Lambda, every
// language runtime and every deployment, unlike a seeded or built-in hash.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a, 32 bit, over the UTF-8 bytes of `text`; an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * FNV-1a followed by the MurmurHash3 finaliser. FNV-1a alone leaves the low bits of near-identical ids
 * ("m-0001", "m-0002") correlated; the finaliser spreads every input bit over the output, so `hash % n` is
 * uniform enough for shards and percentages.
 */
export function stableHash32(text: string): number {
  let h = fnv1a32(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
