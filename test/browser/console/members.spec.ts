import { randomUUID } from "node:crypto";
import { DynamoDBClient, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { expect, type Page, test } from "@playwright/test";
import type { components } from "../../../console/src/api/openapi";
import { exampleProgram } from "../../../domain";
import { issueOffer } from "../../../domain/offers/offer-instance";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { enrolMembers, sendPurchases } from "../support/bus";
import { marketerGet, waitForMarketerGet } from "../support/marketer-api";
import { type PlatformEnv, platformEnv } from "../support/platform-env";
import { consoleUrl, horizontalOverflow, openPage, screenshot, signIn, watchProblems } from "./support";

// The Members page on the whole local platform: a member enrolled and a purchase sent by a till through the
// real EventBridge client, found in the console by id and by e-mail; the 360° view shows the purchase's ledger
// entry and balance as the API gives them, with the offer codes an order carried; a manual adjustment changes the
// balance, and an adjustment the API refuses shows the API's messages next to the fields; a friend who joined
// with the member's referral code shows who referred them.

type Member360 = components["schemas"]["GetMemberResponse"];

test.use({ locale: "en-US", timezoneId: "UTC" });

let env: PlatformEnv;
const memberId = `console-${randomUUID().slice(0, 8)}`;
const email = `${memberId}@Example.test`;

const withMember = (body: Member360) => body.recentLedger.some((e) => e.kind === "earn");

test.beforeAll(async () => {
  env = platformEnv();
  const occurredAt = new Date().toISOString();
  await enrolMembers(env, [
    {
      memberId,
      email,
      occurredAt,
      consent: { email: true, sms: false, push: false },
      profile: { givenName: "Grace", familyName: "Hopper" },
    },
  ]);
  await waitForMarketerGet<Member360>(env, `/members/${memberId}`, () => true);
  await sendPurchases(env, [
    {
      memberId,
      orderId: `order-${memberId}`,
      occurredAt,
      line: { sku: "COF-HOUSE-250", category: "coffee", quantity: 2, unitPrice: 1299 },
    },
  ]);
  await waitForMarketerGet<Member360>(env, `/members/${memberId}`, withMember);
});

async function member(): Promise<Member360> {
  const { status, body } = await marketerGet<Member360>(env, `/members/${memberId}`);
  expect(status).toBe(200);
  return body;
}

async function search(page: Page, text: string) {
  await page.getByLabel("Member id or e-mail").fill(text);
  await page.getByRole("button", { name: "Find member" }).click();
}

/** The 360° view shows the member's figures and ledger as the API gives them. */
async function expectView(page: Page, expected: Member360) {
  await expect(page).toHaveURL(consoleUrl(`members/${memberId}`));
  await expect(page.getByRole("heading", { name: `Member ${memberId}` })).toBeVisible();
  await expect(page.getByTestId("spendable")).toHaveText(`${expected.summary.points.spendable} points`);
  await expect(page.getByTestId("pending")).toHaveText(`${expected.summary.points.pending} points`);
  await expect(page.getByRole("region", { name: "Profile and consent" })).toContainText(email);
  await expect(page.getByRole("region", { name: "Tier" })).toContainText(expected.summary.tier.tierName);
  await expect(page.getByTestId("lifecycle-stage")).toContainText(expected.lifecycle.stage);
  const earn = expected.recentLedger.find((e) => e.kind === "earn");
  expect(earn).toBeDefined();
  const row = page
    .getByRole("table", { name: "Recent ledger" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: "earn", exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(earn?.reason ?? "");
  for (const ruleId of earn?.ruleIds ?? []) await expect(row).toContainText(ruleId);
}

test("finds the member by id and shows the purchase's ledger entry and balance", async ({ page }) => {
  const problems = watchProblems(page);
  await openPage(page, "Members");
  await search(page, memberId);
  await expectView(page, await member());
  expect(problems.errors).toEqual([]);
});

test("finds the member by e-mail, whatever its case", async ({ page }) => {
  const problems = watchProblems(page);
  await openPage(page, "Members");
  await search(page, email.toUpperCase());
  await expectView(page, await member());
  expect(problems.errors).toEqual([]);
});

test("an unknown id or e-mail says there is no such member", async ({ page }) => {
  const problems = watchProblems(page, {
    allowStatus: (url, status) => status === 404 && url.endsWith("/members/no-such-member"),
  });
  await openPage(page, "Members");
  await search(page, "no-such-member");
  await expect(page.getByText("No member with the id no-such-member.")).toBeVisible();
  await search(page, "nobody@example.test");
  await expect(page.getByText("No member has the e-mail address nobody@example.test.")).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  expect(problems.errors).toEqual([]);
});

test("an adjustment changes the balance; one the API refuses shows its messages next to the fields", async ({
  page,
}, testInfo) => {
  const problems = watchProblems(page, {
    allowStatus: (url, status) => status === 400 && url.endsWith(`/members/${memberId}/adjustments`),
  });
  await signIn(page);
  await page.goto(consoleUrl(`members/${memberId}`));
  const before = await member();
  await expectView(page, before);

  const points = page.getByLabel("Points (negative to deduct)");
  const reason = page.getByLabel("Reason");
  await points.fill("25");
  await reason.fill("Goodwill: late delivery");
  await page.getByRole("button", { name: "Apply adjustment" }).click();
  await expect(page.getByTestId("spendable")).toHaveText(`${before.summary.points.spendable + 25} points`);
  const after = await member();
  expect(after.summary.points.spendable).toBe(before.summary.points.spendable + 25);
  await expect(
    page
      .getByRole("table", { name: "Recent ledger" })
      .getByRole("row")
      .filter({ hasText: "Goodwill: late delivery" }),
  ).toContainText("adjust");

  // What the API answers for 0 points and a blank reason, asked directly: the console must show exactly that.
  const refused = await fetch(`${env.apiUrl}/members/${memberId}/adjustments`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await signLocalToken({ marketer: "browser-test" })}`,
      "content-type": "application/json",
      "idempotency-key": randomUUID(),
    },
    body: JSON.stringify({ points: 0, reason: " " }),
  });
  expect(refused.status).toBe(400);
  const problem = (await refused.json()) as { errors: Array<{ path: string; message: string }> };
  const message = (field: string) => problem.errors.find((e) => e.path.endsWith(field))?.message ?? "";
  expect(message("points")).not.toBe("");
  expect(message("reason")).not.toBe("");

  await points.fill("0");
  await reason.fill(" ");
  await page.getByRole("button", { name: "Apply adjustment" }).click();
  await expect(points).toHaveAttribute("aria-invalid", "true");
  await expect(points).toHaveAccessibleDescription(message("points"));
  await expect(reason).toHaveAccessibleDescription(message("reason"));
  await expect(page.getByTestId("spendable")).toHaveText(`${after.summary.points.spendable} points`);
  await screenshot(page, testInfo, "members");
  expect(problems.errors).toEqual([]);
});

test("on a 390-px-wide phone the 360° view fits the screen: only its tables scroll sideways", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto(consoleUrl(`members/${memberId}`));
  await expect(page.getByTestId("spendable")).toBeVisible();
  await expect(page.getByLabel("Member id or e-mail")).toBeInViewport();
  await expect(page.getByRole("button", { name: "Apply adjustment" })).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
});

/** The example program's second offer, stored for the member as the retention job's claim stores one it sends. */
async function storeOffer(options: { code: string; step: number; costMinor: number; now: Date }) {
  const client = new DynamoDBClient({
    endpoint: env.dynamoEndpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const repository = createMemberRepository({ client, tableName: env.tableName });
  const offer = exampleProgram.retention.offers.catalogue[1];
  if (!offer) throw new Error("the example program has no second offer");
  const kind = `win-back-step-${options.step}`;
  const instance = issueOffer({
    chosen: { offer, costMinor: options.costMinor, budgetMinor: 300 },
    code: options.code,
    memberId,
    trigger: { kind, family: "win-back", messageKey: `${kind}:${memberId}` },
    now: options.now,
    config: exampleProgram.retention,
  });
  await client.send(new TransactWriteItemsCommand({ TransactItems: [repository.issueAction(instance)] }));
  client.destroy();
  return offer;
}

test("lists the offer codes sent to the member, with what each gives and until when", async ({ page }) => {
  const offer = await storeOffer({ code: "CNSQ234567", step: 1, costMinor: 250, now: new Date() });

  const problems = watchProblems(page);
  await openPage(page, "Members");
  await search(page, memberId);
  const row = page.getByRole("table", { name: "Offer codes" }).getByRole("row", { name: /CNSQ234567/ });
  await expect(row).toContainText(`${offer.id}: ${offer.value} bonus points`);
  await expect(row).toContainText("usable");
  await expect(row).toContainText("win-back-step-1");
  expect(await horizontalOverflow(page)).toBe(0);
  expect(problems.errors).toEqual([]);
});

test("shows who referred the member, with a link to the referrer, and the friends the referrer brought", async ({
  page,
}) => {
  // The referrer's code as the member's app reads it; a friend joins with it through the bus.
  const mine = await fetch(`${env.apiUrl}/me/referral`, {
    headers: { authorization: `Bearer ${await signLocalToken({ member: memberId })}` },
  });
  expect(mine.status).toBe(200);
  const { code } = (await mine.json()) as { code: string };
  const friendId = `${memberId}-friend`;
  await enrolMembers(env, [
    {
      memberId: friendId,
      email: `${friendId}@example.test`,
      occurredAt: new Date().toISOString(),
      referralCode: code,
    },
  ]);
  const friend = await waitForMarketerGet<Member360>(
    env,
    `/members/${friendId}`,
    (body) => body.referral.referredBy !== undefined,
  );
  expect(friend.referral.referredBy).toMatchObject({ referrerId: memberId, status: "awaiting-purchase" });

  const problems = watchProblems(page);
  await openPage(page, "Members");
  await search(page, friendId);
  const card = page.getByRole("region", { name: "Referrals" });
  await expect(card.getByTestId("referred-by")).toContainText(memberId);
  await expect(card.getByTestId("referred-by")).toContainText("awaiting a first qualifying purchase");
  await expect(card.getByTestId("friends-referred")).toHaveText("0 completed, 0 rewarded this period");
  // The referrer's id opens the referrer's own view, which says nobody referred them.
  await card.getByRole("link", { name: memberId }).click();
  await expect(page).toHaveURL(consoleUrl(`members/${memberId}`));
  await expect(page.getByRole("region", { name: "Referrals" }).getByTestId("referred-by")).toHaveText(
    "Nobody (joined without a referral code)",
  );
  expect(problems.errors).toEqual([]);
});

test("shows the offer codes an order used and those turned down in the ledger", async ({ page }) => {
  const offer = await storeOffer({
    code: "XDGR234567",
    step: 2,
    costMinor: 150,
    now: new Date(Date.now() - 60_000),
  });
  const orderId = `order-codes-${memberId}`;
  await sendPurchases(env, [
    {
      memberId,
      orderId,
      occurredAt: new Date().toISOString(),
      line: { sku: "COF-HOUSE-250", category: "coffee", quantity: 1, unitPrice: 1299 },
      offerCodes: ["xdgr-2345-67", "NKNWN23456"],
    },
  ]);
  await waitForMarketerGet<Member360>(env, `/members/${memberId}`, (body) =>
    body.recentLedger.some((e) => e.reason.includes(orderId)),
  );

  const problems = watchProblems(page);
  await openPage(page, "Members");
  await search(page, memberId);
  const row = page
    .getByRole("table", { name: "Recent ledger" })
    .getByRole("row")
    .filter({ hasText: `Purchase order ${orderId}` });
  await expect(row).toContainText(`Code XDGR234567 (${offer.id}) used: ${offer.value} points`);
  await expect(row).toContainText("Code NKNWN23456 not applied: not-found");
  expect(problems.errors).toEqual([]);
});
