import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import type { components } from "../../../console/src/api/openapi";
import { enrolMembers, sendPurchases } from "../support/bus";
import { marketerGet, waitForMarketerGet } from "../support/marketer-api";
import { type PlatformEnv, platformEnv } from "../support/platform-env";
import { consoleUrl, screenshot, watchProblems } from "./support";

// The scenario in one sitting, as a marketer works: sign in → give Gold an invalid threshold → the error
// sits next to the field and nothing is saved → fix it → the preview shows who moves tier → save → the new
// version is in Versions with its diff → a purchase sent through the bus shows in the member's 360° view.

type Member360 = components["schemas"]["GetMemberResponse"];
type ProgramAnswer = components["schemas"]["GetProgramResponse"];

const DAY = 86_400_000;
const memberId = `journey-${randomUUID().slice(0, 8)}`;
let env: PlatformEnv;

const gold = (answer: ProgramAnswer) => answer.program.tiers.find((tier) => tier.id === "gold")?.threshold;
const hasOrder = (orderId: string) => (body: Member360) =>
  JSON.stringify(body.recentLedger).includes(orderId);

test.beforeAll(async () => {
  env = platformEnv();
  // 600 EUR of status points: Silver under the threshold in effect (1,000), Gold under the draft's (500).
  await enrolMembers(env, [
    { memberId, email: `${memberId}@journey.test`, occurredAt: new Date(Date.now() - 3 * DAY).toISOString() },
  ]);
  await sendPurchases(env, [
    {
      memberId,
      orderId: `${memberId}-1`,
      occurredAt: new Date(Date.now() - 2 * DAY).toISOString(),
      line: { sku: "APP-COAT", category: "apparel", quantity: 1, unitPrice: 60_000 },
    },
  ]);
  await waitForMarketerGet(env, `/members/${memberId}`, hasOrder(`${memberId}-1`));
});

test("a marketer changes Gold's threshold, previews it, publishes it, reads the diff and sees a new purchase", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const problems = watchProblems(page);
  const before = (await marketerGet<ProgramAnswer>(env, "/program")).body;
  const inEffectGold = (await marketerGet<ProgramAnswer>(env, `/program/versions/${before.inEffectVersion}`))
    .body;

  await page.goto(consoleUrl("program"));
  await page.getByLabel("Marketer name").fill("journey-marketer");
  await page.getByRole("button", { name: "Sign in" }).click();
  const threshold = page.getByLabel("Gold threshold", { exact: true });
  await expect(threshold).toHaveValue(String(gold(before)));
  await screenshot(page, testInfo, "journey-program");

  // Invalid: the error is next to the field (its aria-describedby), and nothing is sent or saved.
  await threshold.fill("-1");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(threshold).toHaveAttribute("aria-invalid", "true");
  const errorId = (await threshold.getAttribute("aria-describedby")) ?? "";
  await expect(page.locator(`[id="${errorId.split(" ")[0]}"]`)).toHaveText("threshold must not be negative");
  expect((await marketerGet<ProgramAnswer>(env, "/program")).body.version).toBe(before.version);
  await page.evaluate('document.getElementById("program-tiers").scrollIntoView()');
  // The README's picture of the Program page (docs/console-program.png).
  await screenshot(page, testInfo, "console-program", { fullPage: false });

  // Fixed: 500. The preview of the draft against the version in effect moves our member from Silver to Gold.
  await threshold.fill("500");
  await expect(threshold).toHaveAttribute("aria-invalid", "false");
  await page.getByRole("link", { name: "Preview changes" }).click();
  // The sample is members due a retention check in the window: a recent buyer's next check is weeks away.
  await expect(page.getByRole("heading", { name: "Preview", level: 1 })).toBeVisible();
  await page.getByLabel("Days", { exact: true }).fill("90");
  await page.getByLabel("Most members").fill("500");
  await page.getByRole("button", { name: "Run preview" }).click();
  // Up to 500 members are re-evaluated: on a busy machine that takes more than the default 5 s.
  await expect(
    page
      .getByRole("img", { name: /^Tier moves/ })
      .locator("canvas")
      .first(),
  ).toBeVisible({ timeout: 20_000 });
  const moves = page.getByRole("table", { name: "Members by tier now and under the draft" });
  await expect(moves.getByRole("row", { name: /^Silver Gold \d+$/ })).toBeVisible({ timeout: 20_000 });
  await screenshot(page, testInfo, "journey-preview");

  // Save: scheduled a year ahead, so the other tests' members stay under the version in effect.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Program" }).click();
  await expect(threshold).toHaveValue("500");
  await page.getByLabel("Effective from").fill(`${new Date().getFullYear() + 1}-03-01T09:00`);
  await page.getByRole("button", { name: "Save new version" }).click();
  const saved = before.version + 1;
  await expect(page.getByRole("status")).toContainText(`Version ${saved} saved, effective from`);

  // Versions: the new one, by whom, and its diff against the one before it.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Versions" }).click();
  const trail = page.getByRole("table", { name: "Every published version, newest first" });
  await expect(trail.getByRole("row", { name: new RegExp(`^${saved} `) })).toContainText("journey-marketer");
  await expect(page.getByLabel("To version")).toHaveValue(String(saved));
  await expect(page.getByRole("row", { name: /^Tier 2 \(Gold\) · threshold/ }).getByRole("cell")).toHaveText([
    String(gold(before)),
    "500",
  ]);
  await screenshot(page, testInfo, "journey-versions");

  // A purchase from the till, through the bus, then the member's 360° view shows it.
  const orderId = `${memberId}-2`;
  await sendPurchases(env, [
    {
      memberId,
      orderId,
      occurredAt: new Date().toISOString(),
      line: { sku: "COF-HOUSE-250", category: "coffee", quantity: 1, unitPrice: 1299 },
    },
  ]);
  const after = await waitForMarketerGet(env, `/members/${memberId}`, hasOrder(orderId));
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Member id or e-mail").fill(memberId);
  await page.getByRole("button", { name: "Find member" }).click();
  await expect(page.getByRole("heading", { name: `Member ${memberId}` })).toBeVisible();
  await expect(page.getByTestId("spendable")).toHaveText(`${after.summary.points.spendable} points`);
  const earns = page
    .getByRole("table", { name: "Recent ledger" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: "earn", exact: true }) });
  await expect(earns).toHaveCount(2);
  await screenshot(page, testInfo, "journey-member");
  // The version in effect did not change: the new one starts next year.
  expect((await marketerGet<ProgramAnswer>(env, "/program")).body.inEffectVersion).toBe(inEffectGold.version);
  expect(problems.errors).toEqual([]);
});
