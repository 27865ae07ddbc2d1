import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANGED_AT_FIELD } from "../../../domain/member/profile-facts";
import { createTokenSigner, signUnsubscribeToken } from "../../../functions/http/signed-token";
import { LOCAL_SIGNING_SECRET } from "../../../scripts/local/http-api/local-jwt";
import { type CallResult, startTestApi, type TestApi } from "./http-fixture";

// The unsubscribe link in an e-mail's body, followed by a person: GET shows a page and changes nothing (link
// scanners prefetch it), the page's button POSTs a form that unsubscribes, and the confirmation's button
// re-subscribes. A mail client's RFC 8058 one-click POST to the same URL keeps its JSON answer.

const DAY = 86_400_000;
const signer = createTokenSigner(LOCAL_SIGNING_SECRET);
const FORM = { "content-type": "application/x-www-form-urlencoded" };

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const tokenFor = (memberId: string, issuedAt = new Date()) =>
  signUnsubscribeToken(signer, { memberId, channel: "email", issuedAt: issuedAt.toISOString() });
const query = (token: string) => `token=${encodeURIComponent(token)}`;

/** A member who agreed to marketing e-mail a week ago, in `locale`. */
async function member(memberId: string, locale: string) {
  await t.enrol(memberId);
  await t.api.deps.members.mergeProfile(memberId, {
    fields: { email: `${memberId}@example.com`, locale, consent: { email: true, sms: false, push: false } },
    changedAt: new Date(Date.now() - 7 * DAY).toISOString(),
  });
}

async function profile(memberId: string) {
  return (await t.api.deps.members.getProfile<Record<string, unknown>>(memberId)) ?? {};
}
const emailConsent = async (memberId: string) =>
  ((await profile(memberId)).consent as { email?: boolean } | undefined)?.email;

function expectPage(res: CallResult, status = 200) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("x-robots-tag")).toBe("noindex, nofollow");
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).not.toContain("unsafe-inline");
  const html = res.body as string;
  expect(html.startsWith("<!doctype html>")).toBe(true);
  // Nothing loaded from elsewhere, no script at all.
  expect(html).not.toMatch(/<script|\bsrc=|href="https?:/i);
  return html;
}

const forms = (html: string) =>
  [...html.matchAll(/<form method="post" action="([a-z]+)">/g)].map((m) => m[1]);

describe("the unsubscribe page", () => {
  it("GET shows a page in the member's language with one button, and changes nothing", async () => {
    await member("u-de", "de-AT");
    const before = await profile("u-de");
    const token = tokenFor("u-de");
    const res = await t.call("GET", `/unsubscribe?${query(token)}`);
    const html = expectPage(res);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain("Werbe-E-Mails");
    // The program's name, escaped: "Maison & Market Rewards".
    expect(html).toContain("Maison &amp; Market Rewards");
    expect(forms(html)).toEqual(["unsubscribe"]);
    expect(html).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect((await t.call("GET", `/unsubscribe?${query(token)}`)).status).toBe(200);
    expect(await profile("u-de")).toEqual(before);
    expect(await emailConsent("u-de")).toBe(true);
  });

  it("falls back to English for a language the e-mails are not written in", async () => {
    await member("u-fr", "fr-FR");
    const html = expectPage(await t.call("GET", `/unsubscribe?${query(tokenFor("u-fr"))}`));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("You will no longer receive marketing e-mails from Maison &amp; Market Rewards");
  });

  it("the button's form POST (token in the body) unsubscribes and answers a confirmation that offers re-subscribing", async () => {
    await member("u-form", "en-GB");
    const token = tokenFor("u-form");
    const res = await t.call("POST", "/unsubscribe", { rawBody: query(token), headers: FORM });
    const html = expectPage(res);
    expect(html).toContain("You are unsubscribed");
    expect(forms(html)).toEqual(["resubscribe"]);
    expect(html).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(await emailConsent("u-form")).toBe(false);
  });

  it("a form POST with the token only in the query unsubscribes too", async () => {
    await member("u-query", "en");
    const res = await t.call("POST", `/unsubscribe?${query(tokenFor("u-query"))}`, {
      rawBody: "",
      headers: FORM,
    });
    expect(expectPage(res)).toContain("You are unsubscribed");
    expect(await emailConsent("u-query")).toBe(false);
  });

  it("re-subscribing records consent again, stamped with the time of the request", async () => {
    await member("u-back", "de-DE");
    const token = tokenFor("u-back");
    await t.call("POST", "/unsubscribe", { rawBody: query(token), headers: FORM });
    expect(await emailConsent("u-back")).toBe(false);
    const asked = Date.now();
    const res = await t.call("POST", "/resubscribe", { rawBody: query(token), headers: FORM });
    const html = expectPage(res);
    expect(html).toContain("Sie sind wieder angemeldet");
    expect(forms(html)).toEqual(["unsubscribe"]);
    const stored = await profile("u-back");
    expect((stored.consent as Record<string, boolean>).email).toBe(true);
    const stamp = Date.parse((stored[CHANGED_AT_FIELD] as Record<string, string>)["consent.email"] ?? "");
    expect(stamp).toBeGreaterThanOrEqual(asked - 1);
    expect(stamp).toBeLessThanOrEqual(Date.now());
  });

  it("a tampered, foreign, expired or missing token answers an error page that names nothing, and changes nothing", async () => {
    await member("u-bad", "en");
    const good = tokenFor("u-bad");
    const [payload, mac] = good.split(".");
    const decoded = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const tampered = `${Buffer.from(JSON.stringify({ ...decoded, c: "sms" })).toString("base64url")}.${mac}`;
    const foreign = signUnsubscribeToken(createTokenSigner("x".repeat(40)), {
      memberId: "u-bad",
      channel: "email",
      issuedAt: decoded.iat,
    });
    const expired = tokenFor("u-bad", new Date(Date.now() - 401 * DAY));
    const before = await profile("u-bad");
    for (const bad of [tampered, foreign, expired, "garbage"]) {
      const requests = [
        t.call("GET", `/unsubscribe?${query(bad)}`),
        t.call("POST", "/unsubscribe", { rawBody: query(bad), headers: FORM }),
        t.call("POST", "/resubscribe", { rawBody: query(bad), headers: FORM }),
      ];
      for (const res of await Promise.all(requests)) {
        const html = expectPage(res, 400);
        expect(html).toContain("This link does not work");
        expect(html).not.toMatch(/u-bad|expired|signature|<form/i);
      }
    }
    const missing = await t.call("GET", "/unsubscribe", { headers: { "accept-language": "de-DE,de;q=0.9" } });
    expect(expectPage(missing, 400)).toContain("Dieser Link funktioniert nicht");
    expect(await profile("u-bad")).toEqual(before);
  });

  it("a mail client's RFC 8058 one-click POST still answers JSON", async () => {
    await member("u-click", "de");
    const res = await t.call("POST", `/unsubscribe?${query(tokenFor("u-click"))}`, {
      rawBody: "List-Unsubscribe=One-Click",
      headers: FORM,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.body).toEqual({ unsubscribed: true, channel: "email" });
    expect(await emailConsent("u-click")).toBe(false);
  });
});
