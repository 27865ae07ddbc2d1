import { expect, test } from "@playwright/test";
import { consoleUrl, horizontalOverflow, signIn, watchProblems } from "./support";

// The console's frame: the local sign-in, the navigation landmark with its seven pages, and a layout that works
// on a 390-px-wide phone.

const PAGES = ["Program", "Preview", "Versions", "Members", "Campaigns", "Segments", "KPIs"];

test("signing in shows the navigation landmark with every page, and signing out returns to sign-in", async ({
  page,
}) => {
  const problems = watchProblems(page);
  await page.goto(consoleUrl("members"));
  await expect(page.getByRole("heading", { name: "Sign in to the Patron console" })).toBeVisible();
  await signIn(page);
  const nav = page.getByRole("navigation", { name: "Console" });
  for (const name of PAGES) await expect(nav.getByRole("link", { name, exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/console\/program$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByLabel("Marketer name")).toBeVisible();
  expect(problems.errors).toEqual([]);
});

test("on a 390-px-wide phone every navigation link is reachable without horizontal scrolling", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  for (const name of PAGES) await expect(page.getByRole("link", { name, exact: true })).toBeInViewport();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
});
