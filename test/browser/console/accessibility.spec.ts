import { expect, type Locator, type Page, test } from "@playwright/test";
import { type PlatformEnv, platformEnv } from "../support/platform-env";
import { loadAnalyzedYear } from "../support/synthetic-history";
import { horizontalOverflow, signIn, watchProblems } from "./support";

// Every page of the console, with data (the synthetic year the analytics spec loads too, once per platform, and
// a draft for Preview), at a desktop's 1280×800 and a phone's 390 px: every input, select and textarea has an
// accessible name (its label) and every button one too, as Playwright's accessibility tree computes them; on
// the phone the page itself never scrolls sideways.

test.use({ locale: "en-US", timezoneId: "UTC" });

let env: PlatformEnv;
let memberId: string;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  env = platformEnv();
  const history = await loadAnalyzedYear(env);
  memberId = history.memberIds[0] ?? "";
  expect(memberId).not.toBe("");
});

interface Visit {
  name: string;
  /** Opens the page from the one before and waits until its data is shown. */
  open(page: Page): Promise<void>;
  /** Form fields a loaded page has at least: proof the check looked at the page and not at its loading note. */
  fields: number;
}

const nav = (page: Page) => page.getByRole("navigation", { name: "Console" });
const loadingNotes = (page: Page) => page.getByText(/^(Loading|Computing) .*…$/);

async function follow(page: Page, name: string): Promise<void> {
  await nav(page).getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name, exact: true })).toBeVisible();
}

const VISITS: Visit[] = [
  {
    name: "Program",
    // Sign-in lands here and waits for the program; a changed field makes the draft Preview compares.
    open: async (page) => {
      const threshold = page.getByLabel("Gold threshold", { exact: true });
      await threshold.fill("500");
      await expect(threshold).toHaveAttribute("aria-invalid", "false");
    },
    fields: 250,
  },
  {
    name: "Preview",
    open: async (page) => {
      await follow(page, "Preview");
      await expect(page.getByRole("img", { name: /^Rewards within reach/ })).toBeVisible({ timeout: 20_000 });
    },
    fields: 4,
  },
  {
    name: "Versions",
    open: async (page) => {
      await follow(page, "Versions");
      await expect(page.getByRole("table", { name: "Every published version, newest first" })).toBeVisible();
    },
    fields: 2,
  },
  {
    name: "Members",
    open: async (page) => {
      await follow(page, "Members");
      await page.getByLabel("Member id or e-mail").fill(memberId);
      await page.getByRole("button", { name: "Find member" }).click();
      await expect(page.getByTestId("spendable")).toBeVisible();
    },
    fields: 3,
  },
  {
    name: "Campaigns",
    open: async (page) => {
      await follow(page, "Campaigns");
      await expect(page.getByRole("table", { name: "Per trigger" })).toBeVisible();
    },
    fields: 0,
  },
  {
    name: "Segments",
    open: async (page) => {
      await follow(page, "Segments");
      await expect(page.getByRole("table", { name: "Segments" })).toBeVisible();
    },
    fields: 0,
  },
  {
    name: "KPIs",
    open: async (page) => {
      await follow(page, "KPIs");
      await expect(page.getByRole("region", { name: "Points" })).toBeVisible();
    },
    fields: 2,
  },
];

/**
 * Every control of the kind that is rendered (not in a display:none or visibility:hidden part; an empty
 * button of no size counts), with a short description of each for the failure message.
 */
async function rendered(page: Page, selector: string): Promise<Array<{ control: Locator; html: string }>> {
  const controls = page.locator(selector);
  const all = await controls.evaluateAll((elements) =>
    elements.map((element) => ({
      rendered: element.checkVisibility({ visibilityProperty: true }),
      html: element.outerHTML.slice(0, 160),
    })),
  );
  return all.flatMap(({ rendered, html }, i) => (rendered ? [{ control: controls.nth(i), html }] : []));
}

async function expectNamed(page: Page, visit: Visit): Promise<void> {
  await expect(loadingNotes(page)).toHaveCount(0, { timeout: 20_000 });
  // Collapsed parts (the e-mail's plain-text part) hold controls too.
  await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
  const fields = await rendered(page, "input:not([type=hidden]), select, textarea");
  const buttons = await rendered(page, "button, [role=button], input[type=submit], input[type=button]");
  expect(fields.length, `${visit.name}: form fields`).toBeGreaterThanOrEqual(visit.fields);
  // Sign out, at least.
  expect(buttons.length, `${visit.name}: buttons`).toBeGreaterThan(0);
  for (const { control, html } of [...fields, ...buttons])
    await expect.soft(control, `${visit.name}: ${html}`).toHaveAccessibleName(/\S/, { timeout: 1000 });
}

async function visitEveryPage(page: Page, check: (visit: Visit) => Promise<void>): Promise<void> {
  await signIn(page);
  for (const visit of VISITS) {
    await visit.open(page);
    await check(visit);
  }
}

test("at 1280×800 every field has a label and every button a name, on every page", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const problems = watchProblems(page);
  await visitEveryPage(page, (visit) => expectNamed(page, visit));
  expect(problems.errors).toEqual([]);
});

test("on a 390-px-wide phone every page fits its width, with every field labelled and every button named", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  const problems = watchProblems(page);
  await visitEveryPage(page, async (visit) => {
    await expectNamed(page, visit);
    await expect
      .poll(() => horizontalOverflow(page), { message: `${visit.name} scrolls sideways` })
      .toBeLessThanOrEqual(0);
  });
  expect(problems.errors).toEqual([]);
});

test("the check sees an unlabelled field and an empty button, and skips what is not rendered", async ({
  page,
}) => {
  await page.setContent(
    '<input id="bare"><button type="button"></button><label>Name <input></label><select hidden></select>',
  );
  const fields = await rendered(page, "input, select");
  expect(fields.map(({ html }) => html)).toEqual(['<input id="bare">', "<input>"]);
  const [bare, labelled] = fields.map(({ control }) => control);
  const [empty] = (await rendered(page, "button")).map(({ control }) => control);
  if (!bare || !labelled || !empty) throw new Error("a control of the page was not found");
  await expect(bare).not.toHaveAccessibleName(/\S/);
  await expect(labelled).toHaveAccessibleName("Name");
  await expect(empty).not.toHaveAccessibleName(/\S/);
});
