import * as z from "zod";
import { campaignReport } from "../../domain/retention/campaign-report";
import { type HttpApiDeps, programInEffectNow } from "./member-access";
import { defineRoute, type Route } from "./route";

// The marketer's campaign report: per retention trigger, messages sent, conversions, the control group's
// conversions and the incremental lift, from the retention job's sharded counters (one Query).

const rate = z.number().nullable();

const triggerReportSchema = z.object({
  trigger: z.string().describe("Trigger kind, e.g. win-back-step-2"),
  sent: z.int().describe("E-mails committed to send (treated group)"),
  converted: z.int().describe("Sent e-mails followed by a purchase within the conversion window"),
  controlSize: z.int().describe("Control-group members whose e-mail was withheld"),
  controlConverted: z.int(),
  conversionRate: rate,
  controlConversionRate: rate,
  liftPoints: rate.describe("conversionRate − controlConversionRate, in percentage points"),
  liftInterval: z
    .object({ low: z.number(), high: z.number() })
    .nullable()
    .describe(
      "95% confidence interval of liftPoints, in percentage points, by Newcombe's hybrid score interval for a difference of two proportions (method 10: from the Wilson interval of each rate); null when liftPoints is null",
    ),
  relativeLift: rate.describe("(conversionRate − controlRate) / controlRate"),
  incrementalConversions: rate.describe("converted − sent × controlRate"),
  convertedSpendMinor: z
    .int()
    .describe("What the converting purchases of treated members spent, minor units"),
  controlConvertedSpendMinor: z.int().describe("The same for the control group"),
  redeemed: z
    .int()
    .describe(
      "Offer codes of this trigger's e-mails used on a purchase (a full refund that gives one back uncounts it)",
    ),
  redemptionRate: rate.describe("redeemed / sent"),
  incentiveCostMinor: z
    .int()
    .describe(
      "Discounts given plus bonus points and reward offers' points costs at the point cost, minor units",
    ),
  incrementalRevenueMinor: rate.describe("convertedSpend − sent × controlConvertedSpend / controlSize"),
  incrementalMarginMinor: rate.describe("incrementalRevenue × retention.offers.grossMarginPercent / 100"),
  marginPerIncentive: rate.describe(
    "incrementalMargin / incentiveCost: margin each unit spent on incentives brought back (above 1 pays off); null without a control group or incentive cost",
  ),
});

const campaignsSchema = z.object({
  currency: z.string().describe("Currency of the amounts (the program's), minor units"),
  triggers: z.array(triggerReportSchema),
  notes: z.array(z.string()),
});

export function campaignRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/campaigns",
      operationId: "getCampaignReport",
      summary:
        "Retention campaigns: sent, redeemed, converted, control conversion, incremental lift and the return on incentives per trigger",
      access: "marketer",
      response: { status: 200, description: "One row per trigger", schema: campaignsSchema },
      handle: async ({ now }) => {
        const [counters, program] = await Promise.all([
          deps.messages.campaignCounters(),
          programInEffectNow(deps, now),
        ]);
        return {
          currency: program.currency,
          triggers: campaignReport(counters, {
            grossMarginPercent: program.retention.offers.grossMarginPercent,
          }),
          notes: [
            "Conversions are counted by the daily retention job, so they trail purchases by up to a day; redemptions are counted by the purchase itself.",
            "Rates are null where there is nothing to compare with yet (no sends, or no control group).",
          ],
        };
      },
    }),
  ];
}
