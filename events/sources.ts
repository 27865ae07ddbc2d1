import * as z from "zod";

/** Source of every event Patron publishes. */
export const PATRON_SOURCE = "patron";

/**
 * Every producer (POS, web shop, app, CRM) publishes with `retail.<channel-or-system>.<name>`,
 * e.g. `retail.pos.store-042`, `retail.web.shop`, `retail.app.ios`; a coalition partner's tills publish as
 * `retail.partner.<partner id>.<name>` (domain/program/partner-schema.ts). The shared prefix lets
 * (a) an IAM policy pin a producer to its own sources with `events:source` = `retail.pos.*`, and
 * (b) every consumer rule match producers with `{"prefix": "retail."}`, which can never match
 * Patron's own `patron` events (no feedback loops) nor AWS's reserved `aws.` sources.
 */
export const PRODUCER_SOURCE_PREFIX = "retail.";

/** EventBridge caps `source` at 256 characters; segments are lowercase slugs. */
export const PRODUCER_SOURCE_PATTERN = /^retail(\.[a-z0-9][a-z0-9-]*){2,}$/;

export const producerSourceSchema = z
  .string()
  .max(256)
  .regex(
    PRODUCER_SOURCE_PATTERN,
    'must look like "retail.<channel-or-system>.<name>" in lowercase, e.g. "retail.pos.store-042"',
  );

export function isProducerSource(source: string): boolean {
  return source.length <= 256 && PRODUCER_SOURCE_PATTERN.test(source);
}
