import { randomInt } from "node:crypto";
import type { TokenSigner } from "../http/signed-token";

// Link codes are read out or printed by a till or a web shop and typed by a person: 8 characters of
// Crockford's base32 (no I, L, O or U), shown as "XXXX-XXXX". 40 bits, valid for minutes, used once, and
// bound to one member (the member types their member id too), so guessing one is hopeless; only a keyed
// hash of the code is stored (functions/http/member-link-routes.ts).

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH = 8;

/** How long a code links, in minutes. */
export const LINK_CODE_VALID_MINUTES = 15;

/** A new random code, e.g. "7K3Q-9XWD". */
export function newLinkCode(random: (max: number) => number = randomInt): string {
  let code = "";
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[random(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The code as typed, in canonical form (upper case, no separators, O read as 0 and I or L as 1, as
 * Crockford decodes them); undefined when it cannot be a code at all.
 */
export function canonicalLinkCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (code.length !== LENGTH) return undefined;
  return [...code].every((char) => ALPHABET.includes(char)) ? code : undefined;
}

/** What the table stores for a code: its MAC under the signing secret, so a table read reveals no code. */
export function linkCodeHash(signer: Pick<TokenSigner, "mac">, canonicalCode: string): string {
  return signer.mac("link-code", canonicalCode).toString("base64url");
}
