import { expect, type Page, test } from "@playwright/test";
import { signLocalToken } from "../../scripts/local/http-api/local-jwt";
import { type PlatformEnv, platformEnv } from "./support/platform-env";
import { type MailedMember, mailAtRiskMembers } from "./support/retention-mail";

// The unsubscribe link in a real retention e-mail's body, followed in Chromium: the e-mail's HTML is opened,
// its link clicked; the page asks and changes nothing (a link scanner's GET must not unsubscribe); only its
// button's POST unsubscribes; the confirmation's button re-subscribes. Consent is read back through the API
// as the member's app would.

let env: PlatformEnv;
let english: MailedMember;
let german: MailedMember;

test.beforeAll(async () => {
  env = platformEnv();
  [english, german] = (await mailAtRiskMembers(env, ["en-IE", "de-DE"])) as [MailedMember, MailedMember];
});

async function emailConsent(memberId: string): Promise<boolean> {
  const token = await signLocalToken({ member: memberId });
  const response = await fetch(`${env.apiUrl}/me/preferences`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { consent: { email: boolean } }).consent.email;
}

/** Opens the e-mail's HTML body and clicks its unsubscribe link, as a reader would. */
async function followLinkInBody(page: Page, member: MailedMember, linkText: string) {
  expect(member.email.body.html).toBeDefined();
  await page.setContent(member.email.body.html ?? "");
  const link = page.getByRole("link", { name: linkText });
  const href = (await link.getAttribute("href")) ?? "";
  expect(href.startsWith(`${env.apiUrl}/unsubscribe?token=`), href).toBe(true);
  await link.click();
  await page.waitForURL(/\/unsubscribe\?token=/);
}

/** Console errors such as a style or request the page's Content-Security-Policy refused. */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("the body's unsubscribe link: GET shows the page, only the button's POST unsubscribes, re-subscribe restores consent", async ({
  page,
}) => {
  const violations = cspViolations(page);
  await followLinkInBody(page, english, "Unsubscribe");
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText("Unsubscribe?");
  await expect(page.locator("main")).toContainText(
    "You will no longer receive marketing e-mails from Maison & Market Rewards.",
  );
  await expect(page.getByRole("button")).toHaveCount(1);
  // The inline style sheet is allowed by the CSP's hash: the button is styled.
  await expect(page.getByRole("button")).toHaveCSS("background-color", "rgb(31, 111, 235)");
  // Link scanners and a reload fetch the page again: consent stays on.
  await page.reload();
  await expect(heading).toHaveText("Unsubscribe?");
  expect(await emailConsent(english.memberId)).toBe(true);

  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(heading).toHaveText("You are unsubscribed");
  await expect(page.locator("main")).toContainText("Changed your mind?");
  expect(await emailConsent(english.memberId)).toBe(false);

  await page.getByRole("button", { name: "Re-subscribe" }).click();
  await expect(heading).toHaveText("You are subscribed again");
  expect(await emailConsent(english.memberId)).toBe(true);
  expect(violations).toEqual([]);
});

test("a German member gets the page, the confirmation and the re-subscribe in German", async ({ page }) => {
  await followLinkInBody(page, german, "Abmelden");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText("Abmelden?");
  await expect(page.locator("main")).toContainText(
    "Sie erhalten dann keine Werbe-E-Mails mehr von Maison & Market",
  );
  expect(await emailConsent(german.memberId)).toBe(true);

  await page.getByRole("button", { name: "Abmelden" }).click();
  await expect(heading).toHaveText("Sie sind abgemeldet");
  expect(await emailConsent(german.memberId)).toBe(false);
  await page.getByRole("button", { name: "Wieder anmelden" }).click();
  await expect(heading).toHaveText("Sie sind wieder angemeldet");
  expect(await emailConsent(german.memberId)).toBe(true);
});

test("a tampered link shows the error page and changes nothing", async ({ page }) => {
  const link = new URL(
    /href="([^"]+\/unsubscribe\?token=[^"]+)"/.exec(english.email.body.html ?? "")?.[1] ?? "",
  );
  const [payload, mac = ""] = (link.searchParams.get("token") ?? "").split(".");
  // A character in the middle of the MAC: every bit of it counts (the last one carries padding bits).
  link.searchParams.set(
    "token",
    `${payload}.${mac.slice(0, 10)}${mac[10] === "A" ? "B" : "A"}${mac.slice(11)}`,
  );
  const before = await emailConsent(english.memberId);
  const response = await page.goto(link.href);
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link does not work");
  await expect(page.getByRole("button")).toHaveCount(0);
  expect(await emailConsent(english.memberId)).toBe(before);
});
