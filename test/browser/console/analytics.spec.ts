import { expect, test } from "@playwright/test";
import type { components } from "../../../console/src/api/openapi";
import { marketerGet } from "../support/marketer-api";
import { type PlatformEnv, platformEnv } from "../support/platform-env";
import { loadAnalyzedYear } from "../support/synthetic-history";
import { expectChart, openPage, screenshot, watchProblems } from "./support";

// The Campaigns and Segments pages over a synthetic year of 200 members (what `npm run replay -- --synthetic
// 200 --clock simulated` produces, loaded by support/synthetic-history.ts) and one run of the analytics job:
// their charts draw, and the figures on the page are the API's.

type Campaigns = components["schemas"]["GetCampaignReportResponse"];
type Segments = components["schemas"]["GetSegmentsResponse"];

test.use({ locale: "en-US", timezoneId: "UTC" });

let env: PlatformEnv;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  env = platformEnv();
  const history = await loadAnalyzedYear(env);
  expect(history.memberIds.length).toBe(200);
});

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const points = (value: number) =>
  value.toLocaleString("en-US", {
    signDisplay: "exceptZero",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });

test("Campaigns: the conversion chart and each trigger's figures as the API reports them", async ({
  page,
}, testInfo) => {
  const { status, body } = await marketerGet<Campaigns>(env, "/campaigns");
  expect(status).toBe(200);
  const sent = body.triggers.filter((t) => t.sent > 0);
  expect(sent.length).toBeGreaterThan(0);
  // The lift's interval below is checked per trigger that has one: at least one must, or it never is.
  expect(body.triggers.filter((t) => t.liftInterval !== null).length).toBeGreaterThan(0);
  const problems = watchProblems(page);
  await openPage(page, "Campaigns");
  await expectChart(page, /conversion rate of e-mailed members and of the control group/);
  const table = page.getByRole("table", { name: "Per trigger" });
  await expect(table.getByRole("row")).toHaveCount(body.triggers.length + 1);
  for (const trigger of body.triggers) {
    const cells = table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: trigger.trigger, exact: true }) })
      .getByRole("cell");
    await expect(cells.nth(0)).toHaveText(String(trigger.sent));
    await expect(cells.nth(1)).toHaveText(String(trigger.converted));
    await expect(cells.nth(2)).toHaveText(
      trigger.conversionRate === null ? "—" : percent(trigger.conversionRate),
    );
    await expect(cells.nth(3)).toHaveText(String(trigger.controlSize));
    if (trigger.liftPoints !== null && trigger.liftInterval !== null)
      await expect(cells.nth(6)).toHaveText(
        `${points(trigger.liftPoints)} pp (95% CI ${points(trigger.liftInterval.low)} to ${points(trigger.liftInterval.high)})`,
      );
  }
  const incentives = page.getByRole("table", { name: "Offers: redemptions and return on incentives" });
  for (const trigger of body.triggers) {
    const cells = incentives
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: trigger.trigger, exact: true }) })
      .getByRole("cell");
    await expect(cells.nth(0)).toHaveText(String(trigger.redeemed));
    await expect(cells.nth(1)).toHaveText(
      trigger.redemptionRate === null ? "—" : percent(trigger.redemptionRate),
    );
  }
  for (const note of body.notes) await expect(page.getByText(note)).toBeVisible();
  await screenshot(page, testInfo, "campaigns");
  expect(problems.errors).toEqual([]);
});

test("Segments: the RFM heatmap, the Lorenz curve with the API's shares and Gini, and the fitted models", async ({
  page,
}, testInfo) => {
  const { status, body } = await marketerGet<Segments>(env, "/segments");
  expect(status).toBe(200);
  const problems = watchProblems(page);
  await openPage(page, "Segments");
  await expectChart(page, /Heatmap of members by recency score/);
  await expectChart(page, /Lorenz curves/);
  const clv = page.getByRole("region", { name: "Predicted value (CLV)" });
  await expect(clv.getByRole("definition").nth(0)).toHaveText(percent(body.concentration.clv.top10Share));
  await expect(clv.getByRole("definition").nth(1)).toHaveText(percent(body.concentration.clv.top20Share));
  const spend = page.getByRole("region", { name: "Spend to date" });
  await expect(spend.getByRole("definition").nth(1)).toHaveText(percent(body.concentration.spend.top20Share));
  await expect(spend.getByRole("definition").nth(2)).toHaveText(
    body.concentration.spend.gini.toLocaleString("en-US", { maximumFractionDigits: 3 }),
  );
  const bgNbd = page.getByRole("region", { name: /BG\/NBD/ });
  await expect(bgNbd.getByRole("definition").nth(0)).toHaveText(
    body.fit.bgNbd.r.toLocaleString("en-US", { maximumFractionDigits: 4 }),
  );
  const gammaGamma = page.getByRole("region", { name: /Gamma-Gamma/ });
  const { p, q, gamma, logLikelihood, repeatBuyers } = body.fit.gammaGamma;
  await expect(gammaGamma.getByRole("definition")).toHaveText([
    ...[p, q, gamma].map((value) => value.toLocaleString("en-US", { maximumFractionDigits: 4 })),
    logLikelihood.toLocaleString("en-US", { maximumFractionDigits: 2 }),
    repeatBuyers.toLocaleString("en-US"),
  ]);
  expect(repeatBuyers).toBeGreaterThan(0);
  const segments = page.getByRole("table", { name: "Segments" });
  await expect(segments.getByRole("row")).toHaveCount(body.rfm.segments.length + 1);
  // The fit check: customers per repeat count as counted and as the model expects, for every fitted customer.
  await expectChart(page, /Fit check/);
  const bins = body.fit.repeatCheck ?? [];
  expect(bins.reduce((sum, bin) => sum + bin.actual, 0)).toBe(body.fit.customers);
  expect(bins.reduce((sum, bin) => sum + bin.expected, 0)).toBeCloseTo(body.fit.customers, -1);
  const check = page.getByRole("table", { name: "Customers per repeat-purchase count" });
  for (const bin of bins)
    await expect(
      check.getByRole("row", { name: new RegExp(`^${bin.repeats.replace("+", "\\+")} `) }),
    ).toContainText(bin.actual.toLocaleString("en-US"));
  // The README's picture of the Segments page (docs/console-segments.png).
  await screenshot(page, testInfo, "console-segments");
  expect(problems.errors).toEqual([]);
});

test("Segments says when analytics has never run, and how to run it", async ({ page }) => {
  const problems = watchProblems(page, {
    allowStatus: (url, status) => status === 404 && new URL(url).pathname === "/segments",
  });
  // The API's answer before the first run (a fresh platform's), as the route documents it.
  await page.route(
    (url) => url.pathname === "/segments",
    (route) =>
      route.fulfill({
        status: 404,
        contentType: "application/problem+json",
        body: JSON.stringify({
          type: "urn:patron:problem:not-found",
          title: "Not Found",
          status: 404,
          detail: "No analytics run has completed yet; the job runs nightly",
        }),
      }),
  );
  await openPage(page, "Segments");
  await expect(page.getByText("Analytics has not run yet")).toBeVisible();
  await expect(page.getByText("npm run job -- analytics-job")).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  expect(problems.errors).toEqual([]);
});
