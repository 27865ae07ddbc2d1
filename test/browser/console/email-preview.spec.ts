import { expect, type Page, test } from "@playwright/test";
import type { Program } from "../../../domain/program/program-schema";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { platformEnv } from "../support/platform-env";
import { consoleUrl, horizontalOverflow, screenshot, watchProblems } from "./support";

// The e-mail preview on the Preview page, on the running platform: the program in effect's win-back e-mail in
// the page, styled with the brand's colours under the console's strict CSP (no violation is logged), then
// another trigger in German; with a draft lacking a postal address and shop, the page says what to fix.

const DRAFT_KEY = "patron.console.program-draft";
const SAMPLE_CODE = "7KQ4MX9PRT";

async function programInEffect(): Promise<{ version: number; program: Program }> {
  const token = await signLocalToken({ marketer: "email-tester" });
  const response = await fetch(`${platformEnv().apiUrl}/program`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { version: number; program: Program };
}

async function signInToPreview(page: Page): Promise<void> {
  await page.goto(consoleUrl("preview"));
  await page.getByLabel("Marketer name").fill("ada");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/console\/preview$/);
}

/** "#7a2e3b" as computed styles say it: "rgb(122, 46, 59)". */
function rgb(hex: string): string {
  const channel = (i: number) => Number.parseInt(hex.slice(i, i + 2), 16);
  return `rgb(${channel(1)}, ${channel(3)}, ${channel(5)})`;
}

/** The rendered e-mail (in a shadow root, which Playwright's locators enter). */
const emailBody = (page: Page) => page.getByTestId("email-body");

test("shows the program's win-back e-mail with its branding and code, then any trigger in German", async ({
  page,
}, testInfo) => {
  const { program } = await programInEffect();
  const problems = watchProblems(page);
  await signInToPreview(page);
  const section = page.getByRole("region", { name: "E-mail" });
  await expect(section.getByTestId("email-subject")).toHaveText(
    `Last chance: your offer from ${program.name}`,
  );
  const code = emailBody(page).getByText(SAMPLE_CODE, { exact: true });
  // The inline styles arrived despite style-src 'self': the code is in large type, in the brand's colour.
  await expect(code).toHaveCSS("font-size", "32px");
  await expect(code).toHaveCSS("color", rgb(program.branding.primaryColor));
  await expect(emailBody(page).getByRole("link", { name: "Shop now" })).toHaveAttribute(
    "href",
    program.branding.shopUrl ?? "",
  );
  await expect(emailBody(page).getByRole("link", { name: "Unsubscribe" })).toHaveAttribute(
    "href",
    /\/unsubscribe\?token=/,
  );
  await expect(emailBody(page).getByText(program.branding.postalAddress)).toBeVisible();
  await expect(section.getByRole("alert")).toHaveCount(0);
  await screenshot(page, testInfo, "email-preview");

  await section.getByLabel("Trigger").selectOption("points-expiring");
  await section.getByLabel("Language").selectOption("de");
  await expect(section.getByTestId("email-subject")).toHaveText(/^180 Punkte verfallen am /);
  await expect(emailBody(page).getByRole("link", { name: "Punkte einlösen" })).toBeVisible();
  await expect(emailBody(page).locator("[lang]").first()).toHaveAttribute("lang", "de");
  await section.getByText("Plain-text part").click();
  await expect(section.locator("pre")).toContainText("Abmelden: https://");

  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => horizontalOverflow(page)).toBeLessThanOrEqual(0);
  expect(problems.errors).toEqual([]);
});

test("with a draft lacking a postal address and shop, says what to fix before sending", async ({
  page,
}, testInfo) => {
  const { version, program } = await programInEffect();
  const draft = { baseVersion: version, program: { ...program, branding: { displayName: "Draft & Co" } } };
  await page.addInitScript(
    ([key, value]) => sessionStorage.setItem(key as string, value as string),
    [DRAFT_KEY, JSON.stringify(draft)],
  );
  const problems = watchProblems(page);
  await signInToPreview(page);
  const section = page.getByRole("region", { name: "E-mail" });
  const warnings = section.getByRole("alert");
  await expect(warnings).toContainText("No postal address");
  await expect(warnings).toContainText("No shop URL");
  await expect(emailBody(page).getByText("Draft & Co", { exact: true })).toBeVisible();
  await expect(emailBody(page).getByRole("link")).toHaveText(["Unsubscribe"]);
  await screenshot(page, testInfo, "email-preview-draft");
  expect(problems.errors).toEqual([]);
});

test("the Program page's branding fields check each value, and the draft's brand shows in the e-mail preview", async ({
  page,
}, testInfo) => {
  const problems = watchProblems(page);
  await page.goto(consoleUrl("program"));
  await page.getByLabel("Marketer name").fill("ada");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Loading the program…")).toHaveCount(0);
  const branding = page.getByRole("region", { name: "E-mail branding" });
  const colour = branding.getByLabel("Primary colour");
  await colour.fill("crimson");
  await colour.blur();
  await expect(colour).toHaveAttribute("aria-invalid", "true");
  await expect(branding.getByText("primaryColor must be a hex colour such as #1f6feb")).toBeVisible();
  await colour.fill("#0a7d5a");
  await colour.blur();
  await expect(colour).toHaveAttribute("aria-invalid", "false");
  await branding.getByLabel("Brand name").fill("Corner Shop");
  await branding.getByLabel("Brand name").blur();
  await screenshot(page, testInfo, "program-branding");

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Preview" }).click();
  const shop = emailBody(page).getByRole("link", { name: "Shop now" });
  await expect(shop).toHaveCSS("background-color", "rgb(10, 125, 90)");
  await expect(emailBody(page).getByRole("img", { name: "Corner Shop" })).toHaveCount(1);
  expect(problems.errors).toEqual([]);
});
