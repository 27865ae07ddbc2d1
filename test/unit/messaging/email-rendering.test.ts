import { type ConfigData, HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";
import { SAMPLE_OFFER_CODE, sampleMessageInput } from "../../../domain/messaging/sample-message";
import { type Language, WORDING } from "../../../domain/messaging/template-strings";
import { escapeHtml, type MessageInput, renderMessage } from "../../../domain/messaging/templates";
import { exampleProgram } from "../../../domain/program/example-program";
import { type Program, programSchema } from "../../../domain/program/program-schema";
import { triggerFamilySchema } from "../../../domain/retention/trigger-family";

// Every trigger family in every language, rendered as members get it: valid HTML (html-validate), with the
// unsubscribe link, the postal address and the offer code.

/**
 * html-validate's recommended rules, less those that contradict how HTML e-mail must be written (every client
 * renders it, Outlook with Word's engine):
 * - no-conditional-comment: `<!--[if mso]>` is how Outlook gets its table widths and button padding.
 * - no-inline-style: Gmail and others drop or rewrite <style>; inline styles are what every client applies.
 * - no-deprecated-attr: bgcolor, cellpadding, align and valign are what Outlook reads instead of CSS.
 * - prefer-native-element: MJML's wrapper is `<div role="article">`, the ARIA pattern e-mail clients expect.
 * - attribute-allowed-values: MJML writes `height="auto"` on images for Outlook; everything else still checks
 *   through the other rules (element content, required attributes, duplicate ids, unescaped characters, …).
 * - void-style: MJML closes `<img/>` XHTML-style; both spellings are valid HTML.
 * MJML writes its doctype in lower case, which is equally valid.
 */
const EMAIL_RULES: ConfigData = {
  extends: ["html-validate:recommended"],
  rules: {
    "no-conditional-comment": "off",
    "no-inline-style": "off",
    "no-deprecated-attr": "off",
    "prefer-native-element": "off",
    "attribute-allowed-values": "off",
    "void-style": "off",
    "doctype-style": ["error", { style: "lowercase" }],
  },
};
const validator = new HtmlValidate(EMAIL_RULES);

const UNSUBSCRIBE = "https://api.maison-market.example/unsubscribe?token=abc.def";

function input(
  family: Program["retention"]["holdout"]["appliesTo"][number],
  locale: string,
  program = exampleProgram,
) {
  return sampleMessageInput({
    program,
    family,
    locale,
    today: "2026-12-05",
    currencyMinorUnits: 2,
    unsubscribeUrl: UNSUBSCRIBE,
  });
}

/** Every family carries an offer here, including those whose catalogue has none: the code must fit anywhere. */
function withCode(message: MessageInput): MessageInput {
  const offer = exampleProgram.retention.offers.catalogue[0];
  if (!offer) throw new Error("the example program has offers");
  return {
    ...message,
    offer: message.offer ?? {
      offer,
      costMinor: 350,
      budgetMinor: 500,
      code: SAMPLE_OFFER_CODE,
      validUntil: "2027-01-04",
    },
  };
}

async function problems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) =>
    r.messages.map((m) => `${m.ruleId} at ${m.line}:${m.column}: ${m.message}`),
  );
}

describe("rendered retention e-mails", () => {
  for (const family of triggerFamilySchema.options) {
    for (const locale of ["en", "de-DE"]) {
      it(`${family} in ${locale}: valid HTML with the unsubscribe link, postal address and code`, async () => {
        const out = renderMessage(withCode(input(family, locale)));
        expect(await problems(out.html)).toEqual([]);
        expect(out.html).toContain(`<html lang="${locale.slice(0, 2)}"`);
        expect(out.html).toContain(`href="${escapeHtml(UNSUBSCRIBE)}"`);
        expect(out.html).toContain(escapeHtml(exampleProgram.branding.postalAddress));
        expect(out.html).toContain(`>${SAMPLE_OFFER_CODE}</div>`);
        expect(out.html).toContain(`href="${exampleProgram.branding.shopUrl}"`);
        expect(out.html).not.toMatch(/\{\{|<!--(if|end):/);
        expect(out.text).toContain(UNSUBSCRIBE);
        expect(out.text).toContain(exampleProgram.branding.postalAddress);
        expect(out.text).toContain(SAMPLE_OFFER_CODE);
        expect(out.warnings).toEqual([]);
      });
    }
  }

  it("shows the validity date, the greeting by name and the German wording", () => {
    const out = renderMessage(input("win-back", "de-DE"));
    expect(out.html).toContain(">Gültig bis 4. Januar 2027</div>");
    expect(out.html).toContain(">Hallo Jana,</div>");
    expect(out.html).toContain(">Ihr Code</div>");
    expect(out.text).toContain("Jetzt einkaufen: https://www.maison-market.example/");
  });

  it("a program without branding still renders valid HTML, its name as the header, and flags what is missing", async () => {
    const { branding: _, ...rest } = exampleProgram;
    const plain = programSchema.parse(rest);
    const message = input("at-risk-nudge", "en", plain);
    const out = renderMessage({ ...message, member: { ...message.member, firstName: undefined } });
    expect(await problems(out.html)).toEqual([]);
    expect(out.html).toContain(`>${escapeHtml(plain.name)}</div>`);
    expect(out.html).not.toContain("<img");
    expect(out.html).toContain(">Hi there,</div>");
    expect(out.warnings).toEqual(["postal-address-missing", "shop-url-missing"]);
    expect(out.text).not.toContain("Shop now");
  });

  it("keeps the button label and the code readable on a pale brand colour", () => {
    const pale = programSchema.parse({
      ...exampleProgram,
      branding: { ...exampleProgram.branding, primaryColor: "#ffe066", backgroundColor: "#ffffff" },
    });
    const out = renderMessage(input("win-back", "en", pale));
    expect(out.html).toMatch(/background:#ffe066;color:#1f2328;/);
    expect(out.html).toMatch(/color:#1f2328;"\s*>7KQ4MX9PRT</);
    const dark = renderMessage(input("win-back", "en"));
    expect(dark.html).toMatch(/background:#7a2e3b;color:#ffffff;/);
  });
});

describe("a reward offer's e-mail", () => {
  // The only offer in the catalogue, so the example's service-recovery gesture (another offer) goes too.
  const { gestureOfferId: _, ...serviceRecovery } = exampleProgram.retention.triggers.serviceRecovery;
  const program = programSchema.parse({
    ...exampleProgram,
    retention: {
      ...exampleProgram.retention,
      triggers: { ...exampleProgram.retention.triggers, serviceRecovery },
      offers: {
        ...exampleProgram.retention.offers,
        catalogue: [{ id: "coffee-gift", kind: "reward", value: 1, rewardId: "free-coffee" }],
      },
    },
  });
  const wording: Record<Language, string> = {
    en: "Your offer: Free coffee, unlocked with your next order",
    de: "Ihr Angebot: Free coffee, freigeschaltet mit Ihrem nächsten Einkauf",
  };

  for (const language of Object.keys(WORDING) as Language[]) {
    it(`names the catalogue reward in ${language}, with the code`, async () => {
      const message = input("win-back", language, program);
      expect(message.offer?.offer.id).toBe("coffee-gift");
      const out = renderMessage(message);
      expect(await problems(out.html)).toEqual([]);
      expect(out.text).toContain(wording[language]);
      expect(out.text).toContain(SAMPLE_OFFER_CODE);
    });
  }

  it("counts copies when it gives more than one", () => {
    const message = input("win-back", "en", program);
    const offer = message.offer;
    if (!offer) throw new Error("expected an offer");
    const out = renderMessage({ ...message, offer: { ...offer, offer: { ...offer.offer, value: 2 } } });
    expect(out.text).toContain("Your offer: 2 × Free coffee, unlocked with your next order");
  });
});
