import { createHash } from "node:crypto";

export interface BoundedJson {
  /** The JSON text, or its first `maxBytes` bytes (cut between characters) when longer. */
  readonly json: string;
  /** UTF-8 size of the whole JSON text. */
  readonly bytes: number;
  /** SHA-256 (hex) of the whole JSON text, to match a truncated copy with the producer's original. */
  readonly sha256: string;
  readonly truncated: boolean;
}

/** Serialises `value` to JSON of at most `maxBytes` UTF-8 bytes, keeping the size and hash of the whole. */
export function boundedJson(value: unknown, maxBytes: number): BoundedJson {
  const whole = JSON.stringify(value) ?? "null";
  const encoded = Buffer.from(whole, "utf8");
  const sha256 = createHash("sha256").update(encoded).digest("hex");
  if (encoded.length <= maxBytes) return { json: whole, bytes: encoded.length, sha256, truncated: false };
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls on the start of a character.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return { json: encoded.subarray(0, end).toString("utf8"), bytes: encoded.length, sha256, truncated: true };
}
