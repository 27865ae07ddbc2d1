import { randomUUID } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { enrolMembers } from "../support/bus";
import { waitForMarketerGet } from "../support/marketer-api";
import { platformEnv } from "../support/platform-env";
import { consoleUrl, screenshot, signIn, watchProblems } from "./support";

// An adjustment over the program's approval threshold (5,000 points by default) in the console: the requester
// sees it sent for approval and listed as awaiting it, with the balance unchanged; their own approval is
// refused with the API's words; another marketer, signed in separately, approves it and the balance moves.

test.use({ locale: "en-US", timezoneId: "UTC" });

const memberId = `approval-${randomUUID().slice(0, 8)}`;

test.beforeAll(async () => {
  const env = platformEnv();
  await enrolMembers(env, [
    { memberId, email: `${memberId}@example.test`, occurredAt: new Date().toISOString() },
  ]);
  await waitForMarketerGet(env, `/members/${memberId}`, () => true);
});

async function openMember(page: Page, marketer: string) {
  await signIn(page, marketer);
  await page.goto(consoleUrl(`members/${memberId}`));
  await expect(page.getByRole("heading", { name: `Member ${memberId}` })).toBeVisible();
}

test("an adjustment over the threshold waits for a second marketer; the requester cannot approve it", async ({
  page,
  browser,
}, testInfo) => {
  const problems = watchProblems(page, {
    allowStatus: (url, status) => status === 403 && url.endsWith("/approve"),
  });
  await openMember(page, "ann");
  await expect(page.getByTestId("spendable")).toHaveText("0 points");
  await page.getByLabel("Points (negative to deduct)").fill("6000");
  await page.getByLabel("Reason").fill("Goodwill: wedding list mix-up");
  await page.getByRole("button", { name: "Apply adjustment" }).click();
  await expect(page.getByText(/over the approval threshold: sent for approval/)).toBeVisible();
  const waiting = page.getByRole("table", { name: "Awaiting approval" });
  await expect(waiting.getByRole("row").filter({ hasText: "Goodwill: wedding list mix-up" })).toHaveCount(1);
  await expect(page.getByTestId("spendable")).toHaveText("0 points");

  await page.getByRole("button", { name: "Approve +6,000 points by ann" }).click();
  await expect(page.getByRole("alert")).toContainText("a different marketer must approve it");
  await expect(page.getByTestId("spendable")).toHaveText("0 points");
  await screenshot(page, testInfo, "adjustment-awaiting-approval");
  expect(problems.errors).toEqual([]);

  // Another marketer in a browser of their own.
  const other = await (await browser.newContext({ locale: "en-US", timezoneId: "UTC" })).newPage();
  const otherProblems = watchProblems(other);
  await openMember(other, "bob");
  await other.getByRole("button", { name: "Approve +6,000 points by ann" }).click();
  await expect(other.getByRole("status")).toHaveText("Approved: +6,000 points applied.");
  await expect(other.getByTestId("spendable")).toHaveText("6,000 points");
  await expect(other.getByRole("table", { name: "Awaiting approval" })).toHaveCount(0);
  await expect(
    other
      .getByRole("table", { name: "Recent ledger" })
      .getByRole("row")
      .filter({ hasText: "approved by bob" }),
  ).toHaveCount(1);
  await screenshot(other, testInfo, "adjustment-approved");
  expect(otherProblems.errors).toEqual([]);
});
