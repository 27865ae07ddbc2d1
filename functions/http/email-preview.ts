import * as z from "zod";
import { sampleMessageInput } from "../../domain/messaging/sample-message";
import { EMAIL_WARNINGS, renderMessage } from "../../domain/messaging/templates";
import { programSchema } from "../../domain/program/program-schema";
import { triggerFamilySchema } from "../../domain/retention/trigger-family";
import { utcDay } from "../../domain/time";
import { currencyMinorUnits } from "../../events/currencies";
import { ValidationError } from "./http-errors";
import { type HttpApiDeps, programInEffectNow } from "./member-access";
import { defineRoute, type Route } from "./route";

// POST /program/preview-email: any retention e-mail, in any language, for a sample member, exactly as the
// renderer sends it (branding, offer code, footer), so the marketer sees it before members do. Reads at most
// the program in effect (cached); nothing is written and nobody is mailed.

/** Each member's e-mail carries their own signed link; the preview's is a placeholder that unsubscribes nobody. */
export const PREVIEW_UNSUBSCRIBE_URL = "https://patron.example/unsubscribe?token=preview";

export const emailPreviewRequestSchema = z.strictObject({
  trigger: triggerFamilySchema,
  winBackStep: z
    .int({ error: "winBackStep must be a whole number" })
    .min(1, { error: "winBackStep must be at least 1" })
    .max(6, { error: "winBackStep must be at most 6" })
    .optional()
    .describe("For win-back: the journey's step (1-based); default the last step"),
  locale: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "locale must be a BCP 47 language tag such as en or de-AT")
    .default("en")
    .describe("The member's locale; German (de-*) or English, other languages fall back to English"),
  program: programSchema.optional().describe("A draft program to render with; default the version in effect"),
});

export const emailPreviewSchema = z.object({
  subject: z.string(),
  html: z.string().describe("The HTML part, as sent"),
  text: z.string().describe("The plain-text part, as sent"),
  language: z.enum(["en", "de"]),
  warnings: z
    .array(z.enum(EMAIL_WARNINGS))
    .describe(
      "What to fix before sending: postal-address-missing (US bulk-sender rules require one), shop-url-missing (no call-to-action button)",
    ),
});

export function emailPreviewRoute(deps: HttpApiDeps): Route {
  return defineRoute({
    method: "POST",
    path: "/program/preview-email",
    operationId: "previewEmail",
    summary:
      "Renders any retention e-mail for a sample member, in a given language, with the program's branding",
    description:
      'The sample member ("Alex", or "Jana" in German) holds the program\'s second tier; the trigger\'s details, the offer the trigger would carry (with a sample code) and its validity are drawn from the program. The unsubscribe link is a placeholder. Reads the program in effect unless a draft is given; writes nothing.',
    rules: "winBackStep must not exceed the number of win-back steps of the program rendered with.",
    access: "marketer",
    body: emailPreviewRequestSchema,
    response: { status: 200, description: "The e-mail as a member would get it", schema: emailPreviewSchema },
    problems: [503],
    handle: async ({ body, now }) => {
      const program = body.program ?? (await programInEffectNow(deps, now));
      const steps = program.retention.triggers.winBack.steps.length;
      if (body.winBackStep !== undefined && body.winBackStep > steps) {
        throw new ValidationError([
          {
            path: "winBackStep",
            message: `winBackStep must be at most ${steps}, the program's win-back steps`,
          },
        ]);
      }
      const rendered = renderMessage(
        sampleMessageInput({
          program,
          family: body.trigger,
          ...(body.winBackStep !== undefined && { winBackStep: body.winBackStep }),
          locale: body.locale,
          today: utcDay(now),
          currencyMinorUnits: currencyMinorUnits(program.currency),
          unsubscribeUrl: PREVIEW_UNSUBSCRIBE_URL,
        }),
      );
      return rendered;
    },
  });
}
