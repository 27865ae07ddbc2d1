import * as z from "zod";
import { campaignReport } from "../../domain/retention/campaign-report";
import { createMessageStore } from "../retention/message-store";
import type { HttpApiDeps } from "./member-access";
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
});

const campaignsSchema = z.object({
  triggers: z.array(triggerReportSchema),
  notes: z.array(z.string()),
});

export function campaignRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/campaigns",
      operationId: "getCampaignReport",
      tag: "marketer",
      summary: "Retention campaigns: sent, converted, control conversion and incremental lift per trigger",
      access: "marketer",
      response: { status: 200, description: "One row per trigger", schema: campaignsSchema },
      handle: async () => {
        const counters = await createMessageStore(deps).campaignCounters();
        return {
          triggers: campaignReport(counters),
          notes: [
            "Conversions are counted by the daily retention job, so they trail purchases by up to a day.",
            "Rates are null where there is nothing to compare with yet (no sends, or no control group).",
          ],
        };
      },
    }),
  ];
}
