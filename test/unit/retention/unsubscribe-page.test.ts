import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  renderUnsubscribePage,
  UNSUBSCRIBE_PAGE_STYLE,
  type UnsubscribePageInput,
} from "../../../domain/messaging/unsubscribe-page";

const token = "eyJtIjoibS0xIn0.c2lnbmF0dXJl";
const forms = (html: string) =>
  [...html.matchAll(/<form method="post" action="([a-z]+)">/g)].map((m) => m[1]);
const page = (input: Partial<UnsubscribePageInput> & Pick<UnsubscribePageInput, "kind">) =>
  renderUnsubscribePage({
    locale: "en",
    programName: "Corner Rewards",
    channel: "email",
    token,
    ...input,
  } as UnsubscribePageInput);

describe("unsubscribe pages", () => {
  it("asks first, with one button that posts the token to unsubscribe", () => {
    const html = page({ kind: "confirm" });
    expect(html).toContain("<title>Unsubscribe from Corner Rewards</title>");
    expect(html).toContain("You will no longer receive marketing e-mails from Corner Rewards.");
    expect(forms(html)).toEqual(["unsubscribe"]);
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html).toContain(`<input type="hidden" name="token" value="${token}">`);
  });

  it("confirms an unsubscribe with a way back, and a re-subscribe with the way out again", () => {
    const done = page({ kind: "unsubscribed", locale: "de-CH", channel: "sms" });
    expect(done).toContain('<html lang="de">');
    expect(done).toContain("Sie sind abgemeldet");
    expect(done).toContain("Werbe-SMS");
    expect(forms(done)).toEqual(["resubscribe"]);
    const back = page({ kind: "resubscribed", channel: "push" });
    expect(back).toContain("You are subscribed again");
    expect(back).toContain("marketing push notifications");
    expect(forms(back)).toEqual(["unsubscribe"]);
  });

  it("explains a broken link without a form or any detail", () => {
    const html = renderUnsubscribePage({ kind: "invalid", locale: "de" });
    expect(html).toContain("Dieser Link funktioniert nicht");
    expect(forms(html)).toEqual([]);
    expect(renderUnsubscribePage({ kind: "invalid" })).toContain("This link does not work");
  });

  it("speaks the e-mails' languages and falls back to English", () => {
    expect(page({ kind: "confirm", locale: "de-AT" })).toContain('<html lang="de">');
    for (const locale of ["fr-FR", "", undefined]) {
      expect(page({ kind: "confirm", locale })).toContain('<html lang="en">');
    }
  });

  it("without a program name still says who is writing", () => {
    expect(page({ kind: "confirm", programName: undefined })).toContain("marketing e-mails from us.");
    expect(page({ kind: "confirm", programName: undefined, locale: "de" })).toContain("von uns");
  });

  it("escapes every interpolated value", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (programName, evil) => {
        const html = page({ kind: "confirm", programName: `<b>${programName}`, token: `"><i>${evil}` });
        expect(html).not.toContain("<b>");
        expect(html).not.toContain('"><i>');
        expect(html).not.toContain("<i>");
      }),
    );
  });

  it("carries its one style sheet inline, so the page loads nothing and a CSP hash can allow exactly it", () => {
    const html = page({ kind: "confirm" });
    expect(html).toContain(`<style>${UNSUBSCRIBE_PAGE_STYLE}</style>`);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|<link|\bsrc=|url\(/i);
  });
});
