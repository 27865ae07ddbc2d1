import * as z from "zod";
import { type PartnerStatement, partnerStatement } from "../../domain";
import { NotFoundError } from "./http-errors";
import { type HttpApiDeps, programInEffectNow } from "./member-access";
import { assertPartnerAccess } from "./principal";
import { defineRoute, type Route } from "./route";

// A coalition partner's monthly statement (issue #18): points it issued, its points redeemed, expired and
// reversed, the points members spent on the rewards it funds, and what each side owes. The figures come from
// the per-partner counters written with the ledger entries (functions/adapters/dynamo/partner-counters.ts).

const paramsSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a partner id (lowercase slug)")
    .describe("Partner id"),
});

const querySchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month as YYYY-MM, e.g. 2025-03")
    .describe("UTC month of the statement (YYYY-MM)"),
});

const int = (description: string) => z.int().describe(description);

const statementSchema = z.object({
  partnerId: z.string(),
  name: z.string(),
  month: z.string().describe("UTC month, YYYY-MM"),
  currency: z.string().describe("Currency of the amounts (the program's), minor units"),
  points: z.object({
    issued: int("Points the partner's purchases credited to members"),
    redeemed: int("The partner's points spent on rewards (any reward)"),
    expired: int("The partner's points that expired unspent"),
    reversed: int("The partner's points taken back by refunds and marketers' debits"),
    net: int(
      "issued − redeemed − expired − reversed: the month's change of the partner's outstanding points",
    ),
  }),
  redeemedWithPartner: int("Points members spent on the rewards the partner funds (whoever issued them)"),
  prices: z
    .object({ issuePriceMicros: z.int(), redeemPriceMicros: z.int() })
    .describe(
      "Prices per point, millionths of a minor unit, of the program version in effect at the month's end",
    ),
  amounts: z.object({
    partnerOwesMinor: int(
      "(issued − reversed) × issue price, rounded half away from zero on the month's total",
    ),
    programmeOwesMinor: int("redeemedWithPartner × redeem price, rounded the same way"),
    netSettlementMinor: int(
      "partnerOwesMinor − programmeOwesMinor: positive, the partner pays; negative, it is paid",
    ),
  }),
});

/** The instant the statement's prices are read at: the month's last millisecond, or now for the current month. */
function pricedAt(month: string, now: Date): Date {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const end = new Date(Date.UTC(year, m, 1) - 1);
  return end < now ? end : now;
}

export function partnerRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/partners/{id}/statement",
      operationId: "getPartnerStatement",
      summary:
        "A coalition partner's monthly statement: points issued, redeemed, expired, reversed, and the settlement",
      description:
        "For marketers, and for the partner's own machine client (scope `patron/partner.<id>`). Priced at the " +
        "partner's prices in the program version in effect at the month's end. 404 for a partner the program " +
        "does not list.",
      access: "partner",
      params: paramsSchema,
      query: querySchema,
      response: {
        status: 200,
        description: "The partner's statement for the month",
        schema: statementSchema,
      },
      problems: [404, 503],
      handle: async ({ params, query, principal, now }): Promise<PartnerStatement> => {
        assertPartnerAccess(principal, params.id);
        const program =
          (await deps.programs.inEffectAt(pricedAt(query.month, now))) ??
          (await programInEffectNow(deps, now));
        if (!program.partners.some((p) => p.id === params.id))
          throw new NotFoundError(`No partner "${params.id}" in the program.`);
        const totals = await deps.members.readPartnerMonth(params.id, query.month);
        return partnerStatement(program, params.id, query.month, totals) as PartnerStatement;
      },
    }),
  ];
}
