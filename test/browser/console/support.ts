import { expect, type Page, type TestInfo } from "@playwright/test";
import { platformEnv } from "../support/platform-env";

// Shared by the console's browser tests: sign in through the local sign-in page, collect console errors and
// failed requests (each test asserts there are none), and save a screenshot of a page for review.

export function consoleUrl(path = ""): string {
  return `${platformEnv().apiUrl}/console/${path}`;
}

export interface PageProblems {
  errors: string[];
}

/** Records every console error, uncaught exception and failed (or 4xx/5xx) request of the page. */
export function watchProblems(
  page: Page,
  options: { allowStatus?: (url: string, status: number) => boolean } = {},
): PageProblems {
  const problems: PageProblems = { errors: [] };
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Chromium logs every 4xx/5xx answer to fetch as an error; an allowed status is not a problem.
    const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(
      message.text(),
    );
    if (status && options.allowStatus?.(message.location().url, Number(status[1]))) return;
    problems.errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.errors.push(`exception: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.errors.push(
      `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`,
    ),
  );
  page.on("response", (response) => {
    const status = response.status();
    if (status >= 400 && !options.allowStatus?.(response.url(), status))
      problems.errors.push(`HTTP ${status}: ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

export async function signIn(page: Page, marketer = "ada"): Promise<void> {
  await page.goto(consoleUrl());
  await page.getByLabel("Marketer name").fill(marketer);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation")).toBeVisible();
  // Sign-in lands on Program, which loads GET /program: a test that goes elsewhere at once (page.goto) would
  // cancel that load, and the cancelled request counts as a failed one. Wait for it to finish.
  if (new URL(page.url()).pathname === "/console/program")
    await expect(page.getByText("Loading the program…")).toHaveCount(0);
}

/** Signs in and opens a page from the navigation, waiting for its heading. */
export async function openPage(page: Page, name: string): Promise<void> {
  await signIn(page);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

/** The chart with this accessible name has drawn on its canvas. */
export async function expectChart(page: Page, name: RegExp): Promise<void> {
  // ECharts draws on a few stacked canvases; the first is the chart itself.
  const canvas = page.getByRole("img", { name }).locator("canvas").first();
  await expect(canvas).toBeVisible();
  const box = await canvas.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(200);
  expect(box?.height ?? 0).toBeGreaterThan(200);
}

/** How far the page itself scrolls sideways (0 or less: it fits; wide tables scroll in their own box). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
}

/** The whole page, or with `fullPage: false` what a 1280×720 window shows (the README's pictures). */
export async function screenshot(
  page: Page,
  testInfo: TestInfo,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: options.fullPage ?? true });
}
