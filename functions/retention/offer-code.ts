import { randomInt } from "node:crypto";
import { OFFER_CODE_ALPHABET, OFFER_CODE_LENGTH } from "../../domain/offers/offer-instance";

/** A new offer code from the OS's cryptographic generator: unguessable, so knowing a member id is not enough. */
export function randomOfferCode(): string {
  let code = "";
  for (let i = 0; i < OFFER_CODE_LENGTH; i += 1)
    code += OFFER_CODE_ALPHABET[randomInt(OFFER_CODE_ALPHABET.length)];
  return code;
}
