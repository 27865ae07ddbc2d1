import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageStore } from "../../../functions/retention/message-store";
import { runDemo } from "../../../scripts/demo/run-demo";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { type Platform, startPlatform } from "../../../scripts/local/platform";
import { listSentEmails } from "../../../scripts/local/ses-local";

// `npm run demo` against a started local platform on the real clock, as after `npm start`: a tier upgrade, a
// punch card in progress on GET /me, and a win-back e-mail in SES local's inbox — without moving the
// retention job's finished day past today.

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    handlerLogLevel: "SILENT",
    bus: { baseDelayMs: 50 },
    outboxPollIntervalMs: 50,
  });
});

afterAll(async () => {
  await platform?.stop();
});

const me = async (memberId: string) => {
  const token = await signLocalToken({ member: memberId });
  const response = await fetch(`${platform.urls.api}/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: the response is inspected loosely
  return (await response.json()) as any;
};

describe("npm run demo", () => {
  it("fills the running platform: Gold, a punch card in progress, a win-back e-mail in the inbox", async () => {
    const started = Date.now();
    const result = await runDemo({ urls: platform.urls });
    expect(Date.now() - started).toBeLessThan(60_000);

    expect((await me("demo-ada")).tier.tierId).toBe("gold");
    const [card] = (await me("demo-ben")).frequency.punchCards;
    expect(card).toMatchObject({ ruleId: "coffee-card", punches: 5, punchesRequired: 9 });

    const emails = await listSentEmails(platform.urls.ses);
    const winBack = emails.filter((e) => e.destination.to.includes("demo-chloe@demo.patron.local"));
    expect(winBack.map((e) => e.subject)).toEqual(["Come back to Maison & Market Rewards"]);
    expect(result.winBack?.subject).toBe("Come back to Maison & Market Rewards");
    expect(result.retentionReport).toMatchObject({ days: [], processed: 1, sent: 1 });

    // Only the lapsing member was checked: the job's finished day is not moved past today (a scheduled run
    // crossing an hour during the test may legitimately have finished today).
    const finished = await createMessageStore({
      client: platform.client,
      tableName: platform.tableName,
    }).lastFinishedDay();
    const today = new Date().toISOString().slice(0, 10);
    expect(finished === undefined || finished <= today).toBe(true);
  }, 90_000);

  it("is idempotent: a second run sends nothing twice", async () => {
    const result = await runDemo({ urls: platform.urls });
    expect(result.retentionReport).toMatchObject({ sent: 0 });
    const emails = await listSentEmails(platform.urls.ses);
    expect(emails.filter((e) => e.destination.to.includes("demo-chloe@demo.patron.local"))).toHaveLength(1);
    expect((await me("demo-ben")).frequency.punchCards[0].punches).toBe(5);
  }, 60_000);
});
