import { expect, type Page, test } from "@playwright/test";
import type { Program } from "../../../domain/program/program-schema";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { enrolMembers, sendPurchases } from "../support/bus";
import { platformEnv } from "../support/platform-env";
import { consoleUrl, horizontalOverflow, screenshot, watchProblems } from "./support";

// The Preview and Versions pages on the running platform. Setup, from the outside: members bought through the
// bus 28 days ago (enrolled by an operator, purchases put by the POS producer); a second program version is
// published with PUT /program (Gold's threshold lowered by 50, scheduled for tomorrow so the seeded version
// stays in effect); a draft lowering Gold to 500 sits where the Program page keeps it (sessionStorage, see
// console/src/program/draft.ts). The pages' figures are compared with the API's own answers.

const DRAFT_KEY = "patron.console.program-draft";
const DAY = 86_400_000;
// The page asks for the most members the API samples (500) due in the next 30 days: our buyers, due 6 to 28 days
// from now, are in it even when other tests filled the platform (the analytics spec replays 200 members).
const MAX_MEMBERS = 500;
const run = Date.now().toString(36);
// Status points (1 per EUR): two below Gold's threshold in effect (the seeded 1,000) and above the draft's
// (500), one Gold under both, one Silver under both.
const BUYERS = [
  { id: `pv-${run}-a`, euros: 600 },
  { id: `pv-${run}-b`, euros: 650 },
  { id: `pv-${run}-c`, euros: 1500 },
  { id: `pv-${run}-d`, euros: 100 },
];

interface VersionAnswer {
  version: number;
  program: Program;
}

let marketer: string;
let previous: VersionAnswer;
let published: VersionAnswer;
let draft: { baseVersion: number; program: Program };

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${platformEnv().apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${marketer}`, "content-type": "application/json" },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

function withGoldThreshold(program: Program, threshold: number, version: number): Program {
  return {
    ...program,
    version,
    tiers: program.tiers.map((tier) => (tier.id === "gold" ? { ...tier, threshold } : tier)),
  };
}

async function sendBuyersPurchases(): Promise<void> {
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
  await enrolMembers(
    platformEnv(),
    BUYERS.map((b) => ({ memberId: b.id, email: `${b.id}@browser.test`, occurredAt: at(29) })),
  );
  await sendPurchases(
    platformEnv(),
    BUYERS.map((b) => ({
      memberId: b.id,
      orderId: `order-${b.id}`,
      occurredAt: at(28),
      line: { sku: "APP-COAT", category: "apparel", quantity: 1, unitPrice: b.euros * 100 },
    })),
  );
  for (const buyer of BUYERS) {
    await expect
      .poll(
        async () => {
          const member = await api<{ recentLedger: Array<{ orderId?: string; details?: unknown }> }>(
            `/members/${buyer.id}`,
          ).catch(() => undefined);
          return JSON.stringify(member?.recentLedger ?? []).includes(`order-${buyer.id}`);
        },
        { timeout: 20_000, message: `${buyer.id}'s purchase is in the ledger` },
      )
      .toBe(true);
  }
}

/** Members with purchases, a second published version, and the draft. */
async function setUp(): Promise<void> {
  marketer = await signLocalToken({ marketer: "preview-tester" });
  await sendBuyersPurchases();
  previous = await api<VersionAnswer>("/program");
  published = await api<VersionAnswer>("/program", {
    method: "PUT",
    body: {
      ...withGoldThreshold(previous.program, goldThreshold(previous) - 50, previous.version + 1),
      effectiveFrom: new Date(Date.now() + DAY).toISOString(),
    },
  });
  draft = {
    baseVersion: published.version,
    program: withGoldThreshold(published.program, 500, published.version + 1),
  };
}

function goldThreshold(version: VersionAnswer): number {
  const gold = version.program.tiers.find((t) => t.id === "gold");
  if (!gold) throw new Error(`version ${version.version} has no Gold tier`);
  return gold.threshold;
}

async function withDraft(page: Page): Promise<void> {
  await page.addInitScript(
    ([key, value]) => sessionStorage.setItem(key as string, value as string),
    [DRAFT_KEY, JSON.stringify(draft)],
  );
}

/** The figure a page shows under a label (a `<dt>`/`<dd>` pair) inside `section`. */
function figure(page: Page, section: string, label: string) {
  return page
    .getByRole("region", { name: section })
    .locator("dl > div")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
    .locator("dd");
}

/** Opens a console page and signs in from there (the sign-in returns to it; no other page loads first). */
async function signInTo(page: Page, path: string): Promise<void> {
  await page.goto(consoleUrl(path));
  await page.getByLabel("Marketer name").fill("ada");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/console/${path}$`));
}

/** At 390 px wide the page itself does not scroll sideways (wide tables scroll in their own box). */
async function expectNoOverflowOnPhone(page: Page): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => horizontalOverflow(page)).toBeLessThanOrEqual(0);
}

const count = (n: number) => n.toLocaleString("en-GB");
const change = (n: number) => n.toLocaleString("en-GB", { signDisplay: "exceptZero" });

test("without a draft, Preview says so and links to the Program page", async ({ page }) => {
  const problems = watchProblems(page);
  await signInTo(page, "preview");
  await expect(page.getByText("There is no draft to preview.")).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Program" })).toHaveAttribute(
    "href",
    "/console/program",
  );
  expect(problems.errors).toEqual([]);
});

test.describe("with members, two versions and a draft", () => {
  test.beforeAll(setUp);

  test("Preview shows the draft's tier moves as a chart and the same figures as the API", async ({
    page,
  }, testInfo) => {
    const problems = watchProblems(page);
    await withDraft(page);
    await signInTo(page, "preview");
    await expect(page.getByRole("heading", { name: "Preview", level: 1 })).toBeVisible();
    // The page runs the preview with the API's defaults at once; this runs it again with the form's values.
    await expect(page.getByLabel("Days")).toHaveValue("30");
    await page.getByLabel("Most members").fill(String(MAX_MEMBERS));
    await page.getByRole("button", { name: "Run preview" }).click();
    await expect(page.getByText(`in the next 30 days, at most ${MAX_MEMBERS}.`).first()).toBeVisible({
      timeout: 20_000,
    });
    const chart = page.getByRole("img", { name: /^Tier moves/ });
    await expect(chart.locator("canvas").first()).toBeVisible();

    type Compared = { current: number; draft: number; change: number };
    const expected = await api<{
      sample: { members: number };
      tiers: {
        movedUp: number;
        movedDown: number;
        unchanged: number;
        moves: Array<{ fromTierId: string; toTierId: string; members: number }>;
      };
      pointsLiability: Compared;
      rewardsWithinReach: Compared;
      purchasesRecomputed: number;
      challenges: Array<{ challengeId: string }>;
      partners: Array<{ name: string }>;
    }>("/program/preview", {
      method: "POST",
      body: { program: draft.program, days: 30, maxMembers: MAX_MEMBERS },
    });
    // Our buyers are in the sample and two of them reach Gold under the draft.
    expect(expected.sample.members).toBeGreaterThanOrEqual(BUYERS.length);
    expect(expected.tiers.movedUp).toBeGreaterThanOrEqual(2);
    expect(expected.pointsLiability.change).toBeGreaterThan(0);

    await expect(figure(page, "Sample", "Members sampled")).toHaveText(count(expected.sample.members));
    await expect(figure(page, "Sample", "Purchases re-earned")).toHaveText(
      count(expected.purchasesRecomputed),
    );
    await expect(figure(page, "Tier moves", "Moved up")).toHaveText(count(expected.tiers.movedUp));
    await expect(figure(page, "Tier moves", "Moved down")).toHaveText(count(expected.tiers.movedDown));
    await expect(figure(page, "Tier moves", "Unchanged")).toHaveText(count(expected.tiers.unchanged));
    for (const [section, figures, unit] of [
      ["Points liability", expected.pointsLiability, "points"],
      ["Rewards within reach", expected.rewardsWithinReach, "pairs"],
    ] as const) {
      await expect(figure(page, section, "Current")).toHaveText(`${count(figures.current)} ${unit}`);
      await expect(figure(page, section, "Draft")).toHaveText(`${count(figures.draft)} ${unit}`);
      await expect(figure(page, section, "Change")).toHaveText(`${change(figures.change)} ${unit}`);
    }
    await expect(
      page
        .getByRole("img", { name: /^Points liability/ })
        .locator("canvas")
        .first(),
    ).toBeVisible();
    // Rewards within reach as a picture too, its label carrying both figures for screen readers.
    expect(expected.rewardsWithinReach.draft).toBeGreaterThan(0);
    const reach = page.getByRole("img", {
      name: `Rewards within reach: ${count(expected.rewardsWithinReach.current)} member × reward pairs with the current program, ${count(expected.rewardsWithinReach.draft)} with the draft`,
      exact: true,
    });
    await expect(reach.locator("canvas").first()).toBeVisible();
    expect((await reach.boundingBox())?.height).toBe(260);

    // The moves by tier name, as the chart draws them.
    const names = new Map(draft.program.tiers.map((t) => [t.id, t.name]));
    const rows = page
      .getByRole("table", { name: "Members by tier now and under the draft" })
      .locator("tbody tr");
    await expect(rows).toHaveText(
      expected.tiers.moves.map(
        (m) => `${names.get(m.fromTierId)}${names.get(m.toTierId)}${count(m.members)}`,
      ),
    );
    expect(expected.tiers.moves).toContainEqual(
      expect.objectContaining({ fromTierId: "silver", toTierId: "gold" }),
    );
    // The draft's challenges and partners, a row each.
    expect(expected.challenges.length).toBeGreaterThan(0);
    expect(expected.partners.length).toBeGreaterThan(0);
    await expect(page.getByRole("table", { name: "Challenges" }).locator("tbody tr")).toHaveText(
      expected.challenges.map((c) => new RegExp(`^${c.challengeId}`)),
    );
    await expect(
      page
        .getByRole("table", { name: "Partner purchases in the window, current program vs draft" })
        .locator("tbody tr"),
    ).toHaveText(expected.partners.map((p) => new RegExp(`^${p.name}`)));
    await screenshot(page, testInfo, "preview");
    await expectNoOverflowOnPhone(page);
    expect(problems.errors).toEqual([]);
  });

  test("Versions lists both versions and shows Gold's threshold change between them", async ({
    page,
  }, testInfo) => {
    const problems = watchProblems(page);
    await signInTo(page, "versions");
    const trail = page.getByRole("table", { name: "Every published version, newest first" });
    const { versions } = await api<{ versions: Array<{ version: number; status: string }> }>(
      "/program/versions",
    );
    const status = (version: number) =>
      ({ "in-effect": "In effect", scheduled: "Scheduled", superseded: "Superseded", retired: "Retired" })[
        versions.find((v) => v.version === version)?.status ?? ""
      ] ?? "missing";
    const row = (version: number) => trail.getByRole("row", { name: new RegExp(`^${version} `) });
    await expect(row(published.version)).toContainText("preview-tester");
    await expect(row(published.version)).toContainText("Scheduled");
    await expect(row(previous.version)).toContainText(status(previous.version));

    // By default, what the latest version changed.
    await expect(page.getByLabel("From version")).toHaveValue(String(previous.version));
    await expect(page.getByLabel("To version")).toHaveValue(String(published.version));
    const threshold = page.getByRole("row", { name: /^Tier 2 \(Gold\) · threshold/ });
    const [before, after] = [String(goldThreshold(previous)), String(goldThreshold(published))];
    await expect(threshold.getByRole("cell")).toHaveText([before, after]);
    await screenshot(page, testInfo, "versions");

    // Any two versions, either way round.
    await page.getByLabel("From version").selectOption(String(published.version));
    await page.getByLabel("To version").selectOption(String(previous.version));
    await expect(threshold.getByRole("cell")).toHaveText([after, before]);
    await expectNoOverflowOnPhone(page);
    expect(problems.errors).toEqual([]);
  });
});
