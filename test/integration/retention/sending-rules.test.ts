import { SESv2Client, SendEmailCommand, TooManyRequestsException } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { isInHoldout } from "../../../domain/retention/holdout";
import { createSesMailer, tagValue } from "../../../functions/adapters/ses/mailer";
import { applySesFeedback } from "../../../functions/retention/apply-ses-feedback";
import { createLogger } from "../../../functions/shared/logger";
import { type Bench, header, memberOf, SENDER, startBench, testProgram } from "./harness";

// Members enrol on 1 January and buy once on 2 January; with the example program's 30-day default rhythm they
// are at risk from 16 February, when the job sends the at-risk nudge.

const program = testProgram();
const AT_RISK_RUN = "2025-02-16T10:00:00.000Z";
let bench: Bench | undefined;

afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

async function enrolBuyers(b: Bench, ids: string[], profile: Parameters<Bench["enrol"]>[2] = {}) {
  for (const id of ids) {
    await b.enrol(id, "2025-01-01T09:00:00.000Z", profile);
    await b.purchase(id, "2025-01-02T12:00:00.000Z", 4200);
  }
}

describe("who gets retention e-mail", () => {
  it("mails consenting members only: never opted-out, bounced, complained, suppressed or holdout members", async () => {
    bench = await startBench(program);
    const all = Array.from({ length: 40 }, (_, i) => `m-ok-${i}`);
    const holdout = all.filter((id) =>
      isInHoldout(id, program.retention.holdout.percent, program.retention.holdout.salt),
    );
    expect(holdout.length).toBeGreaterThan(0);
    await enrolBuyers(bench, all);
    await enrolBuyers(bench, ["m-opted-out"], { consent: { email: false, sms: true, push: true } });
    await enrolBuyers(bench, ["m-bounced"], { emailBounced: true });
    await enrolBuyers(bench, ["m-complained"], { emailComplained: true });
    await enrolBuyers(bench, ["m-suppressed"], { emailSuppressed: true });

    const report = await bench.run(AT_RISK_RUN);
    const emails = await bench.emails();
    const expected = all.filter((id) => !holdout.includes(id)).sort();
    expect(emails.map(memberOf).sort()).toEqual(expected);
    expect(report).toMatchObject({ sent: expected.length, control: holdout.length, dropped: 4 });
    const counters = await bench.messages.campaignCounters();
    expect(counters["at-risk-nudge"]).toEqual({
      sent: expected.length,
      converted: 0,
      controlSize: holdout.length,
      controlConverted: 0,
      convertedSpendMinor: 0,
      controlConvertedSpendMinor: 0,
      redeemed: 0,
      incentiveCostMinor: 0,
    });
  });

  it("personalises every e-mail and gives it both RFC 8058 unsubscribe headers", async () => {
    bench = await startBench(
      testProgram((p) => {
        if (p.retention) p.retention.holdout = { percent: 0 };
      }),
    );
    await enrolBuyers(bench, ["m-anna", "m-bert"]);
    await bench.enrol("m-de", "2025-01-01T09:00:00.000Z", {
      locale: "de-DE",
      profile: { givenName: "Jörg" },
    });
    await bench.purchase("m-de", "2025-01-02T12:00:00.000Z", 4200);
    await bench.run(AT_RISK_RUN);
    const emails = await bench.emails();
    expect(emails).toHaveLength(3);
    for (const email of emails) {
      expect(header(email, "List-Unsubscribe")).toMatch(
        /^<https:\/\/patron\.example\/unsubscribe\?token=[\w.-]+>$/,
      );
      expect(header(email, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    }
    const anna = emails.find((e) => memberOf(e) === "m-anna");
    expect(anna?.subject).toBe("We miss you at Maison & Market Rewards");
    expect(anna?.body.text).toContain("Hi Name-m-anna,");
    expect(anna?.body.text).toMatch(/Your status: Silver, \d+ points/);
    const german = emails.find((e) => memberOf(e) === "m-de");
    expect(german?.subject).toBe("Wir vermissen Sie bei Maison & Market Rewards");
    expect(german?.body.html).toContain("Hallo Jörg,");
  });

  it("stops mailing a member whose address bounced or who complained (SES configuration-set events)", async () => {
    bench = await startBench(
      testProgram((p) => {
        if (p.retention) p.retention.holdout = { percent: 0 };
      }),
    );
    await enrolBuyers(bench, ["m-bounce", "m-complain", "m-fine", "m-moved"]);
    const logger = createLogger({ logLevel: "ERROR" });
    const domain = bench.domain;
    const feedback = (memberId: string, detail: Record<string, unknown>, time = "2025-02-01T08:00:00Z") =>
      applySesFeedback(
        { members: bench?.members as Bench["members"], logger },
        {
          "detail-type": detail.eventType === "Bounce" ? "Email Bounced" : "Email Complaint Received",
          time,
          detail: {
            ...detail,
            mail: { tags: { "patron-member": [tagValue(memberId)] }, destination: [`${memberId}@${domain}`] },
          },
        },
      );
    await feedback("m-bounce", { eventType: "Bounce", bounce: { bounceType: "Transient" } });
    await feedback("m-bounce", {
      eventType: "Bounce",
      bounce: { bounceType: "Permanent", bounceSubType: "General" },
    });
    await feedback("m-complain", { eventType: "Complaint", complaint: {} });
    // m-moved's address bounced, then they gave a new one; a late bounce for the old one arrives after.
    const permanent = { eventType: "Bounce", bounce: { bounceType: "Permanent", bounceSubType: "General" } };
    await feedback("m-moved", permanent);
    await bench.members.mergeProfile("m-moved", {
      fields: { email: `m-moved+new@${domain}` },
      changedAt: "2025-02-01T12:00:00Z",
    });
    await feedback("m-moved", permanent, "2025-02-02T08:00:00Z");
    await bench.run(AT_RISK_RUN);
    expect((await bench.emails()).map(memberOf).sort()).toEqual(["m-fine", "m-moved+new"]);
  });
});

describe("exactly once", () => {
  const noHoldout = testProgram((p) => {
    if (p.retention) p.retention.holdout = { percent: 0 };
    // Points expire two months after the purchase: the reminder and the at-risk nudge are due together.
    p.expiry.validityMonths = 2;
    if (p.retention?.triggers) p.retention.triggers.pointsExpiring = { daysBefore: 30, minPoints: 1 };
  });

  it("sends one e-mail per member when 20 runs with several triggers due race each other", async () => {
    bench = await startBench(noHoldout);
    await enrolBuyers(bench, ["m-race-1", "m-race-2", "m-race-3"]);
    const b = bench;
    const reports = await Promise.all(Array.from({ length: 20 }, () => b.run(AT_RISK_RUN)));
    const emails = await bench.emails();
    expect(emails.map(memberOf).sort()).toEqual(["m-race-1", "m-race-2", "m-race-3"]);
    // Loyalty-critical first: the points reminder outranks the nudge under the cap.
    expect(new Set(emails.map((e) => e.subject.replace(/\d+/g, "N")))).toEqual(
      new Set(["N points expire on March N, N"]),
    );
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(3);
    // The nudge waits for the cap: a week later it goes out, once.
    await bench.run("2025-02-23T10:00:00.000Z");
    await Promise.all(Array.from({ length: 5 }, () => b.run("2025-02-24T10:00:00.000Z")));
    const later = await bench.emails();
    expect(later).toHaveLength(6);
    expect(later.filter((e) => e.subject.startsWith("We miss you"))).toHaveLength(3);
  });

  it("sends nothing twice when the job runs again", async () => {
    bench = await startBench(noHoldout);
    await enrolBuyers(bench, ["m-twice"]);
    const first = await bench.run(AT_RISK_RUN);
    const second = await bench.run(AT_RISK_RUN);
    const third = await bench.run("2025-02-16T18:00:00.000Z");
    expect(first.sent).toBe(1);
    // Later runs re-read the finished day (a service case opened since is due at once), but the member the
    // first run handled is filed under a later day: nothing read, nothing sent.
    expect(second).toMatchObject({ sent: 0, days: ["2025-02-16"], indexEntriesRead: 0 });
    expect(third.sent).toBe(0);
    expect(await bench.emails()).toHaveLength(1);
  });

  it("defers a send SES throttled and later sends it exactly once", async () => {
    bench = await startBench(noHoldout);
    await enrolBuyers(bench, ["m-throttled"]);
    const throttledClient = new SESv2Client({ region: "us-east-1" });
    const ses = mockClient(throttledClient);
    ses
      .on(SendEmailCommand)
      .rejects(new TooManyRequestsException({ message: "Maximum sending rate exceeded.", $metadata: {} }));
    const throttled = createSesMailer({ client: throttledClient, senderAddress: SENDER });
    const first = await bench.run(AT_RISK_RUN, throttled);
    expect(first).toMatchObject({ sent: 0, sendDeferred: 1 });
    expect(await bench.emails()).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);

    const retry = await bench.run("2025-02-16T10:10:00.000Z");
    expect(retry).toMatchObject({ retried: 1, sent: 1 });
    const again = await bench.run("2025-02-16T12:00:00.000Z");
    expect(again).toMatchObject({ retried: 0, sent: 0 });
    const emails = await bench.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toMatch(/points expire/);
    const message = (await bench.messages.listMessages("m-throttled"))[0];
    expect(message).toMatchObject({ status: "sent", attempts: 1, sesMessageId: emails[0]?.messageId });
    ses.restore();
  });

  it("holds a send during the member's quiet hours and sends it when they end", async () => {
    bench = await startBench(noHoldout);
    await enrolBuyers(bench, ["m-new-york"], { timeZone: "America/New_York" });
    // 10:00 UTC is 05:00 in New York: quiet until 08:00 local (13:00 UTC).
    expect(await bench.run(AT_RISK_RUN)).toMatchObject({ scheduled: 1, sent: 0 });
    expect(await bench.run("2025-02-16T12:30:00.000Z")).toMatchObject({ retried: 0, sent: 0 });
    expect(await bench.run("2025-02-16T13:05:00.000Z")).toMatchObject({ retried: 1, sent: 1 });
    expect(await bench.emails()).toHaveLength(1);
  });

  it("holds a send during the member's own quiet hours, to the minute, and mails the others", async () => {
    bench = await startBench(noHoldout);
    await enrolBuyers(bench, ["m-own-quiet"], { quietHours: { start: "10:30", end: "11:20" } });
    await enrolBuyers(bench, ["m-no-preference"], { quietHours: null });
    await enrolBuyers(bench, ["m-start-is-end"], { quietHours: { start: "11:00", end: "11:00" } });
    // With the program's 21–08 this leaves no minute of the day: its two due messages (at-risk nudge, points
    // reminder) are dropped, and the run does not fail.
    await enrolBuyers(bench, ["m-never"], { quietHours: { start: "08:00", end: "21:00" } });
    // 10:00 UTC is 11:00 in Paris: outside the program's quiet hours (21–08), inside m-own-quiet's.
    expect(await bench.run(AT_RISK_RUN)).toMatchObject({ sent: 2, scheduled: 1, dropped: 2, failed: 0 });
    expect((await bench.emails()).map(memberOf).sort()).toEqual(["m-no-preference", "m-start-is-end"]);
    expect(await bench.messages.listMessages("m-own-quiet")).toMatchObject([
      { status: "deferred", nextAttemptAt: "2025-02-16T10:20:00.000Z" },
    ]);
    expect(await bench.run("2025-02-16T10:19:00.000Z")).toMatchObject({ retried: 0, sent: 0 });

    // Quiet hours the member extends meanwhile (as PUT /me/preferences stores them) hold the retry too.
    await bench.members.mergeProfile("m-own-quiet", {
      fields: { quietHours: { start: "10:30", end: "11:45" } },
      changedAt: "2025-02-16T10:19:30.000Z",
    });
    expect(await bench.run("2025-02-16T10:20:00.000Z")).toMatchObject({ retried: 1, sent: 0 });
    expect(await bench.messages.listMessages("m-own-quiet")).toMatchObject([
      { status: "deferred", nextAttemptAt: "2025-02-16T10:45:00.000Z", lastError: "quiet-hours" },
    ]);
    expect(await bench.run("2025-02-16T10:45:00.000Z")).toMatchObject({ retried: 1, sent: 1 });
    expect((await bench.emails()).map(memberOf).sort()).toEqual([
      "m-no-preference",
      "m-own-quiet",
      "m-start-is-end",
    ]);
  });
});
