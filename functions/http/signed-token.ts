import { createHmac, timingSafeEqual } from "node:crypto";

// Opaque, tamper-proof tokens handed to clients: `<payload>.<mac>`, both base64url. The MAC key is
// derived per purpose, so a ledger cursor can never be replayed as an unsubscribe token (or vice versa),
// and a changed payload or MAC is detected with a constant-time compare.

export type TokenPurpose =
  | "ledger-cursor"
  | "unsubscribe"
  | "voucher"
  | "audit-cursor"
  | "link-code"
  | "import-cursor";

export interface TokenSigner {
  sign(purpose: TokenPurpose, payload: Record<string, unknown>): string;
  /** The payload, or undefined when the token is malformed or was not signed with this secret for `purpose`. */
  verify(purpose: TokenPurpose, token: string): Record<string, unknown> | undefined;
  /** Raw MAC of `text` under the purpose key (e.g. to derive voucher codes). */
  mac(purpose: TokenPurpose, text: string): Buffer;
}

const MAX_TOKEN_LENGTH = 2048;

export function createTokenSigner(secret: string): TokenSigner {
  if (secret.length < 32) throw new Error("the signing secret must be at least 32 characters");
  const keys = new Map<TokenPurpose, Buffer>();
  const keyFor = (purpose: TokenPurpose): Buffer => {
    let key = keys.get(purpose);
    if (!key) {
      key = createHmac("sha256", secret).update(`patron/${purpose}/v1`).digest();
      keys.set(purpose, key);
    }
    return key;
  };
  const mac = (purpose: TokenPurpose, text: string): Buffer =>
    createHmac("sha256", keyFor(purpose)).update(text).digest();

  return {
    mac,
    sign(purpose, payload) {
      const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
      return `${body}.${mac(purpose, body).toString("base64url")}`;
    },
    verify(purpose, token) {
      if (token.length > MAX_TOKEN_LENGTH) return undefined;
      const [body, signature, extra] = token.split(".");
      if (!body || !signature || extra !== undefined) return undefined;
      const expected = mac(purpose, body);
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const payload: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
        return typeof payload === "object" && payload !== null && !Array.isArray(payload)
          ? (payload as Record<string, unknown>)
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** A ledger cursor bound to the member it was issued to: another member's cursor is rejected. */
export function signLedgerCursor(signer: TokenSigner, memberId: string, lastKey: string): string {
  return signer.sign("ledger-cursor", { m: memberId, k: lastKey });
}

export function verifyLedgerCursor(
  signer: TokenSigner,
  memberId: string,
  cursor: string,
): string | undefined {
  const payload = signer.verify("ledger-cursor", cursor);
  if (payload?.m !== memberId || typeof payload.k !== "string") return undefined;
  return payload.k;
}

export interface UnsubscribeClaim {
  memberId: string;
  channel: string;
  /** When the link was made (ISO 8601). */
  issuedAt: string;
}

/** Links older than this are refused (well beyond the 30 days anti-spam laws require them to work). */
export const UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = 400;

export function signUnsubscribeToken(signer: TokenSigner, claim: UnsubscribeClaim): string {
  return signer.sign("unsubscribe", { m: claim.memberId, c: claim.channel, iat: claim.issuedAt });
}

export function verifyUnsubscribeToken(
  signer: TokenSigner,
  token: string,
  now: Date,
): UnsubscribeClaim | undefined {
  const payload = signer.verify("unsubscribe", token);
  if (typeof payload?.m !== "string" || typeof payload.c !== "string" || typeof payload.iat !== "string") {
    return undefined;
  }
  const issued = Date.parse(payload.iat);
  const ageDays = (now.getTime() - issued) / 86_400_000;
  if (Number.isNaN(issued) || ageDays > UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS || ageDays < -1) return undefined;
  return { memberId: payload.m, channel: payload.c, issuedAt: payload.iat };
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A voucher code derived from the redemption's business key: a retried redemption gets the same code,
 * and nobody without the secret can forge one. 80 bits, Crockford base32, "XXXX-XXXX-XXXX-XXXX".
 */
export function voucherCode(signer: TokenSigner, redemptionKey: string): string {
  const bytes = signer.mac("voucher", redemptionKey).subarray(0, 10);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)?.join("-") ?? out;
}

/** The List-Unsubscribe URL for one member and channel (RFC 8058 one-click target). */
export function unsubscribeUrl(signer: TokenSigner, apiBaseUrl: string, claim: UnsubscribeClaim): string {
  const url = new URL("/unsubscribe", apiBaseUrl);
  url.searchParams.set("token", signUnsubscribeToken(signer, claim));
  return url.toString();
}
