import { afterEach, describe, expect, it } from "vitest";
import { DUE_BUCKETS_FROM_HOUR_UTC } from "../../../domain/retention/due-buckets";
import { addDays } from "../../../domain/time";
import type { JobReport } from "../../../functions/retention/job-report";
import { type Bench, startBench, testProgram } from "./harness";

// The job runs every hour (infra/function-specs.ts). Members enrol on 1 January and buy on 2 January; with
// the example program's 30-day default rhythm they are due for the at-risk nudge on 16 February.

const DAY = "2025-02-16";
const at = (hour: number) => `${DAY}T${String(hour).padStart(2, "0")}:00:00.000Z`;
const noHoldout = testProgram((p) => {
  if (p.retention) p.retention.holdout = { percent: 0 };
});
let bench: Bench | undefined;

afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

describe("hourly retention runs", () => {
  it("read a day's due members from 09:00 UTC (later runs find the handled ones re-filed), and send a deferred e-mail the hour quiet hours end", async () => {
    bench = await startBench(noHoldout);
    // In February Los Angeles is UTC−8: quiet 21:00–08:00 local is 05:00–16:00 UTC, which always
    // covers the hour the due members are read. With one run a day this member would never be mailed.
    await bench.enrol("m-los-angeles", "2025-01-01T09:00:00.000Z", { timeZone: "America/Los_Angeles" });
    await bench.purchase("m-los-angeles", "2025-01-02T12:00:00.000Z", 4200);

    const reports: Array<JobReport & { hour: number }> = [];
    for (let hour = 0; hour < 24; hour += 1) reports.push({ hour, ...(await bench.run(at(hour))) });
    const byHour = (hour: number) => reports.find((r) => r.hour === hour);

    // Before 09:00 UTC the runs read yesterday's buckets; the member is due today and is not read yet.
    expect(byHour(0)).toMatchObject({ days: ["2025-02-15"], indexEntriesRead: 0 });
    // Later runs read the finished day's buckets again (service cases filed under it since), finding nobody.
    for (let hour = 1; hour < DUE_BUCKETS_FROM_HOUR_UTC; hour += 1) {
      expect(byHour(hour)).toMatchObject({ days: ["2025-02-15"], indexEntriesRead: 0 });
    }
    expect(byHour(DUE_BUCKETS_FROM_HOUR_UTC)).toMatchObject({
      days: [DAY],
      indexEntriesRead: 1,
      scheduled: 1,
      sent: 0,
    });
    for (const report of reports.filter((r) => r.hour > DUE_BUCKETS_FROM_HOUR_UTC))
      expect(report).toMatchObject({ days: [DAY], indexEntriesRead: 0 });
    // 16:00 UTC is 08:00 in Los Angeles: the first hourly run after the quiet hours sends, once.
    expect(reports.filter((r) => r.sent > 0).map((r) => r.hour)).toEqual([16]);
    expect(byHour(16)).toMatchObject({ retried: 1, sent: 1 });
    const emails = await bench.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.destination.to).toEqual([`m-los-angeles@${bench.domain}`]);
  });

  it("date a held message's offer code from the day it goes out, not the day it was claimed", async () => {
    bench = await startBench(noHoldout);
    // Los Angeles (UTC−8): the program's quiet 21:00–08:00 and the member's own 08:00–17:00 leave 17:00–21:00
    // local, 01:00–05:00 UTC. Claimed at 09:00 UTC on the 16th, the nudge goes out at 01:00 UTC on the 17th.
    await bench.enrol("m-held", "2025-01-01T09:00:00.000Z", {
      timeZone: "America/Los_Angeles",
      quietHours: { start: "08:00", end: "17:00" },
    });
    await bench.purchase("m-held", "2025-01-02T12:00:00.000Z", 4200);
    expect(await bench.run(at(DUE_BUCKETS_FROM_HOUR_UTC))).toMatchObject({ scheduled: 1, sent: 0 });
    const [offer] = await bench.members.listOffers("m-held");
    const validityDays = noHoldout.retention.offers.validityDays;
    expect(offer?.validUntil).toBe(addDays("2025-02-17", validityDays - 1));
    expect(offer?.issuedAt).toBe("2025-02-17T01:00:00.000Z");

    expect(await bench.run("2025-02-17T01:00:00.000Z")).toMatchObject({ sent: 1 });
    const [email] = await bench.emails();
    expect(email?.body.text).toContain(offer?.code ?? "no code");
    expect(email?.body.text).toContain("Valid until March 18, 2025");
  });
});
