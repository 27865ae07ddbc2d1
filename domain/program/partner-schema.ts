import * as z from "zod";
import { InvalidFacts } from "../errors";
import { displayNameSchema, ruleIdSchema, slugSchema, wholeNumber } from "./common-schema";

/**
 * Producers of a partner publish with `retail.partner.<partner id>.<name>`; the shared prefix is what
 * attributes a purchase or refund to the partner, and what its producer role is pinned to (infra/config.ts).
 */
export const PARTNER_SOURCE_PREFIX = "retail.partner.";

/** Most partners a program may list: each adds one lot per expiry day at most, keeping the member item bounded. */
export const MAX_PARTNERS = 20;

/** A price per point in millionths of the currency's minor unit (0.8 cent = 800000): integers, exact sums. */
const pricePerPoint = (what: string) =>
  wholeNumber(what).max(1_000_000_000, { error: `${what} must be at most 1000 minor units per point` });

export const partnerSchema = z
  .strictObject({
    id: slugSchema("partner id").describe(
      "Partner id (lowercase slug): its producers publish as retail.partner.<id>.<name>",
    ),
    name: displayNameSchema.describe("Partner brand shown to members in the points reason"),
    earn: z
      .strictObject({
        ruleId: ruleIdSchema,
        pointsPerUnit: z
          .number()
          .positive({ error: "pointsPerUnit must be greater than 0" })
          .max(1000, { error: "pointsPerUnit must be at most 1000" })
          .describe(
            "Points per major unit of the program's currency spent with the partner; replaces the base rate " +
              "(product, promotion and tier multipliers still apply)",
          ),
      })
      .describe("How purchases with the partner earn"),
    issuePriceMicros: pricePerPoint("issuePriceMicros").describe(
      "What the partner pays per point it issues, in millionths of the currency's minor unit (800000 = 0.8 cent)",
    ),
    redeemPriceMicros: pricePerPoint("redeemPriceMicros").describe(
      "What the partner receives per point members redeem with it (its funded rewards), in millionths of the minor unit",
    ),
    sources: z
      .array(
        z
          .string()
          .max(256)
          .regex(
            /^retail\.partner\.[a-z0-9][a-z0-9-]*(\.[a-z0-9*][a-z0-9*-]*)+$/,
            'must look like "retail.partner.<partner id>.<name>" ("*" matches any characters)',
          ),
      )
      .min(1)
      .max(10)
      .describe("Event sources the partner's producers use; each starts with retail.partner.<id>."),
  })
  .describe("A coalition partner: members earn and burn the same points with it");

export type Partner = z.infer<typeof partnerSchema>;

/** The partner id a producer source names (`retail.partner.<id>.…`), or undefined for the retailer's own. */
export function partnerIdOfSource(source: string): string | undefined {
  if (!source.startsWith(PARTNER_SOURCE_PREFIX)) return undefined;
  const id = source.slice(PARTNER_SOURCE_PREFIX.length).split(".")[0];
  return id === undefined || id === "" ? undefined : id;
}

/** Whether a source matches one of the partner's source patterns (`*` matches any characters, as IAM's StringLike). */
export function partnerAcceptsSource(partner: Partner, source: string): boolean {
  return partner.sources.some((pattern) => {
    const regex = pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${regex}$`).test(source);
  });
}

/**
 * The partner a producer source belongs to: undefined for the retailer's own sources; an error naming `source`
 * for a partner the program does not list, or a source the partner has not registered (nothing is attributed
 * to a partner by guesswork: its statement is what it is billed on).
 */
export function partnerOfSource(
  program: { partners: readonly Partner[] },
  source: string | undefined,
): Partner | undefined {
  const id = source === undefined ? undefined : partnerIdOfSource(source);
  if (source === undefined || id === undefined) return undefined;
  const partner = program.partners.find((p) => p.id === id);
  if (!partner) throw new InvalidFacts("source", `partner "${id}" is not in the program's partners`);
  if (!partnerAcceptsSource(partner, source))
    throw new InvalidFacts("source", `not one of partner "${id}"'s registered sources`);
  return partner;
}
