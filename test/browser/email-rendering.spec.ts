import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { SAMPLE_OFFER_CODE, sampleMessageInput } from "../../domain/messaging/sample-message";
import { renderMessage } from "../../domain/messaging/templates";
import { exampleProgram } from "../../domain/program/example-program";

// The example program's last win-back e-mail, as the renderer sends it, opened in Chromium at a phone's width
// (375 px) and a desktop's (1024 px): the screenshots are saved under docs/ for review, and on the phone
// nothing scrolls sideways and the code and button fit. The logo's host does not exist, so a stand-in logo
// is served for its URL.

const docs = join(import.meta.dirname, "..", "..", "docs");
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80" viewBox="0 0 320 80">
  <rect width="320" height="80" rx="8" fill="#7a2e3b"/>
  <text x="160" y="50" font-family="Georgia, serif" font-size="26" fill="#f6f1eb" text-anchor="middle">Maison &amp; Market</text>
</svg>`;

const email = renderMessage(
  sampleMessageInput({
    program: exampleProgram,
    family: "win-back",
    locale: "en",
    today: "2026-12-05",
    currencyMinorUnits: 2,
    unsubscribeUrl: "https://api.maison-market.example/unsubscribe?token=sample",
  }),
);

async function open(page: Page, width: number): Promise<void> {
  await page.route(exampleProgram.branding.logoUrl ?? "", (route) =>
    route.fulfill({ status: 200, contentType: "image/svg+xml", body: LOGO }),
  );
  await page.setViewportSize({ width, height: 900 });
  await page.setContent(email.html, { waitUntil: "load" });
}

test("the e-mail at 375 px: nothing scrolls sideways, the code and the button fit", async ({ page }) => {
  await open(page, 375);
  expect(await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth")).toBe(0);
  const code = page.getByText(SAMPLE_OFFER_CODE, { exact: true });
  await expect(code).toHaveCSS("font-size", "32px");
  for (const box of [
    await code.boundingBox(),
    await page.getByRole("link", { name: "Shop now" }).boundingBox(),
  ]) {
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);
  }
  await expect(page.getByRole("img", { name: "Maison & Market" })).toBeVisible();
  await page.screenshot({ path: join(docs, "email-375.png"), fullPage: true });
});

test("the e-mail at 1024 px: a centred 600 px card", async ({ page }) => {
  await open(page, 1024);
  const card = await page.getByText("Hi Alex,", { exact: true }).boundingBox();
  // The greeting sits in the card, which is 600 px wide and centred: (1024 - 600) / 2 plus its 24 px padding.
  expect(card?.x).toBe(212 + 24);
  await expect(page.getByRole("link", { name: "Unsubscribe" })).toHaveAttribute(
    "href",
    "https://api.maison-market.example/unsubscribe?token=sample",
  );
  await page.screenshot({ path: join(docs, "email-1024.png"), fullPage: true });
});
