import { expect, test } from "@playwright/test";
import type { components } from "../../../console/src/api/openapi";
import { marketerGet } from "../support/marketer-api";
import { type PlatformEnv, platformEnv } from "../support/platform-env";
import { loadAnalyzedYear } from "../support/synthetic-history";
import { expectChart, horizontalOverflow, openPage, screenshot, watchProblems } from "./support";

// The KPIs page over the synthetic year the analytics spec loads too (loaded once per platform) and a run of
// the analytics job: its charts draw, its figures are GET /kpis's, the month range reloads, and it fits a phone.

type Kpis = components["schemas"]["GetKpisResponse"];

test.use({ locale: "en-US", timezoneId: "UTC" });

let env: PlatformEnv;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  env = platformEnv();
  const history = await loadAnalyzedYear(env);
  expect(history.memberIds.length).toBe(200);
});

/** The page's default range: the current month (UTC) and the 23 before it. */
function defaultRange(): { from: string; to: string } {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 23, 1));
  return { from: from.toISOString().slice(0, 7), to: now.toISOString().slice(0, 7) };
}

const integer = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 0 });
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

const CHARTS = [
  /new members per month/,
  /Heatmap of cohort retention/,
  /active members/,
  /customer equity/,
  /lifecycle stage/,
  /Heatmap of stage flows/,
];

test("KPIs: the charts draw, and the latest month's figures and the definitions are the API's", async ({
  page,
}, testInfo) => {
  const range = defaultRange();
  const { status, body } = await marketerGet<Kpis>(env, `/kpis?from=${range.from}&to=${range.to}`);
  expect(status).toBe(200);
  const latest = body.months.at(-1);
  if (!latest) throw new Error("GET /kpis has no months");
  expect(body.series.cohorts.length).toBeGreaterThan(0);
  const problems = watchProblems(page);
  await openPage(page, "KPIs");
  for (const chart of CHARTS) await expectChart(page, chart);
  const points = page.getByRole("region", { name: "Points" }).getByRole("definition");
  await expect(points.nth(0)).toHaveText(integer(latest.members));
  await expect(points.nth(4)).toHaveText(integer(latest.economics.outstandingPoints));
  const rates = page.getByRole("region", { name: "Liability and rates" }).getByRole("definition");
  await expect(rates.nth(1)).toHaveText(percent(latest.economics.breakageRate));
  await expect(rates.nth(2)).toHaveText(percent(latest.economics.redemptionRate));
  for (const key of ["cohortRetention", "customerEquity", "liability"])
    await expect(page.getByText(body.definitions[key] ?? `(no ${key})`, { exact: true })).toBeVisible();
  const stages = page.getByRole("table", { name: `Lifecycle stages, ${latest.month}` });
  for (const [stage, members] of Object.entries(latest.lifecycle.stages))
    await expect(
      stages
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: stage, exact: true }) })
        .getByRole("cell")
        .first(),
    ).toHaveText(integer(members));
  await screenshot(page, testInfo, "kpis");
  expect(problems.errors).toEqual([]);
});

test("KPIs: a range without snapshots says how to run analytics, and another range reloads the charts", async ({
  page,
}) => {
  const problems = watchProblems(page, {
    allowStatus: (url, status) => status === 404 && new URL(url).pathname === "/kpis",
  });
  await openPage(page, "KPIs");
  await expectChart(page, /Heatmap of cohort retention/);
  await page.getByLabel("From month").fill("2001-01");
  await page.getByLabel("To month").fill("2001-12");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("npm run job -- analytics-job")).toBeVisible();
  await expect(page.getByRole("img", { name: /Heatmap of cohort retention/ })).toHaveCount(0);
  const { from, to } = defaultRange();
  await page.getByLabel("From month").fill(from);
  await page.getByLabel("To month").fill(to);
  await page.getByRole("button", { name: "Show" }).click();
  await expectChart(page, /Heatmap of cohort retention/);
  await expect(page.getByText("npm run job -- analytics-job")).toHaveCount(0);
  expect(problems.errors).toEqual([]);
});

test("KPIs on a 390-px-wide phone: the charts draw without horizontal scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const problems = watchProblems(page);
  await openPage(page, "KPIs");
  for (const chart of CHARTS)
    await expect(page.getByRole("img", { name: chart }).locator("canvas").first()).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  expect(problems.errors).toEqual([]);
});
