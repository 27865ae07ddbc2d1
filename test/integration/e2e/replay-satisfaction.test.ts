import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberState } from "../../../domain";
import { WORDING } from "../../../domain/messaging/template-strings";
import { exampleProgram } from "../../../domain/program/example-program";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { createSimulatedClock } from "../../../scripts/local/clock";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { type Platform, startPlatform } from "../../../scripts/local/platform";
import { listSentEmails } from "../../../scripts/local/ses-local";
import { replayEvents } from "../../../scripts/replay/replay-events";
import { type ReplayRun, runReplay } from "../../../scripts/replay/run-replay";
import { replaySummary } from "../../../scripts/replay/summary";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";
import { withSatisfaction } from "../../../scripts/replay/synthetic-satisfaction";
import { complainerRetention, membersFromLog, satisfactionOfMonth } from "./satisfaction-from-log";

// The synthetic replay with surveys and complaints through the whole local platform on a simulated clock, its
// hourly retention and nightly analytics runs included: each service case gets exactly one recovery e-mail
// (members with e-mail consent), the desk's resolutions close the cases, and GET /kpis reports NPS, CSAT and
// the recovered vs unrecovered complainers as computed from the log alone (satisfaction-from-log.ts).

const END_DAY = "2026-10-30";
/** The replay stops here: the next morning's runs send the last evening's apologies and score the whole log. */
const END_AT = new Date("2026-10-31T12:00:00Z");
const { detractorNpsAtMost, detractorCsatAtMost } = exampleProgram.retention.triggers.serviceRecovery;
const thresholds = { npsAtMost: detractorNpsAtMost, csatAtMost: detractorCsatAtMost };
// Six weeks, not a year: every simulated hour is a retention run (16 due-shard reads), and a year of them
// takes minutes. High rates give enough cases in that time; this seed has a member with two cases and
// detractors who answer again while their case is open.
const MEMBERS = 60;
const SEED = 3;
const events = withSatisfaction(
  replayEvents(syntheticPurchaseLog({ members: MEMBERS, seed: SEED, endDay: END_DAY, days: 45 }), {
    endDay: END_DAY,
  }),
  {
    seed: SEED,
    surveyRate: 0.6,
    complaintRate: 0.15,
    detractor: thresholds,
    endAt: new Date(`${END_DAY}T23:59:59.999Z`),
  },
);
const expected = membersFromLog(events, thresholds);
const clock = createSimulatedClock(new Date((events[0]?.at.getTime() ?? 0) - 60_000));
/** The subject of the service-recovery e-mail (the replay's members write en-IE). */
const RECOVERY_SUBJECT = WORDING.en.subject(
  { family: "service-recovery", complaintId: "" },
  {
    program: "",
    tier: "",
    points: "",
    date: "",
    amount: "",
    milestone: "",
    step: 0,
    of: 0,
  },
);
let platform: Platform;
let run: ReplayRun;

beforeAll(async () => {
  platform = await startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    clock,
    handlerLogLevel: "SILENT",
    outboxPollIntervalMs: 50,
  });
  run = await runReplay({ platform, events, speed: "max", clock, endAt: END_AT });
}, 240_000);
afterAll(async () => {
  await platform?.stop();
});

interface Figures {
  nps: { responses: number; promoters: number; passives: number; detractors: number; score: number | null };
  csat: { responses: number; satisfied: number; score: number | null };
}
type Groups = Record<string, Figures>;

describe("synthetic replay with surveys and complaints", () => {
  it("is a log worth testing: detractors, complaints, resolved and open cases, members without consent", () => {
    const cases = [...expected.values()].flatMap((m) => m.cases);
    expect(cases.filter((c) => c.reason === "complaint").length).toBeGreaterThan(3);
    expect(cases.filter((c) => c.reason !== "complaint").length).toBeGreaterThan(3);
    expect(cases.filter((c) => c.closedAt !== undefined).length).toBeGreaterThan(2);
    expect(cases.filter((c) => c.closedAt === undefined).length).toBeGreaterThan(2);
    const withCases = [...expected.values()].filter((m) => m.cases.length > 0);
    expect(withCases.filter((m) => !m.emailConsent).length).toBeGreaterThan(0);
    expect(withCases.some((m) => m.cases.length > 1)).toBe(true);
    // A detractor who answers again while the case is open must not get a second apology.
    const againWhileOpen = withCases.filter((m) =>
      m.nps.some(
        (a) =>
          a.score <= detractorNpsAtMost &&
          m.cases.some((c) => a.at > c.openedAt && (c.closedAt === undefined || a.at < c.closedAt)),
      ),
    );
    expect(againWhileOpen.length).toBeGreaterThan(0);
  });

  it("applies every event: nothing refused or rejected", async () => {
    expect(run).toMatchObject({ sent: events.length, failedEntries: 0 });
    const summary = await replaySummary(platform, run);
    expect(summary.eventsRejected.total).toBe(0);
    expect(summary.members).toBe(MEMBERS);
  });

  it("opens one case per detractor or complaint episode and closes it on the desk's resolution", async () => {
    const cases = [...expected.values()].flatMap((m) => m.cases);
    expect(platform.outboundCounts()["Service Recovery Needed"]).toBe(cases.length);
    const members = createMemberRepository({ client: platform.client, tableName: platform.tableName });
    const stored = await members.getMembers<MemberState & Record<string, unknown>>([...expected.keys()]);
    for (const [memberId, m] of expected) {
      const latest = m.cases.at(-1);
      const serviceCase = stored.get(memberId)?.state.satisfaction?.serviceCase;
      expect({ memberId, serviceCase }).toEqual({ memberId, serviceCase: latest });
    }
  });

  it("sends each service case exactly one recovery e-mail, and none without consent", async () => {
    const sent = new Map<string, number>();
    for (const email of await listSentEmails(platform.urls.ses)) {
      if (email.subject !== RECOVERY_SUBJECT) continue;
      const memberId = (email.destination.to[0] ?? "").replace(/^member-/, "").split("@")[0] ?? "";
      sent.set(memberId, (sent.get(memberId) ?? 0) + 1);
    }
    const due = new Map(
      [...expected]
        .filter(([, m]) => m.emailConsent && m.cases.length > 0)
        .map(([memberId, m]) => [memberId, m.cases.length]),
    );
    expect(due.size).toBeGreaterThan(3);
    expect(Object.fromEntries(sent)).toEqual(Object.fromEntries(due));
  });

  it("GET /kpis reports NPS, CSAT and complainer retention as computed from the log", async () => {
    const token = await signLocalToken({ marketer: "ada" });
    const response = await fetch(`${platform.urls.api}/kpis?from=2026-07&to=2026-10`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      definitions: Record<string, string>;
      series: { satisfaction: (Figures & { month: string; byChannel: Groups; byStore: Groups })[] };
      months: { month: string; serviceRecovery: unknown }[];
    };
    expect(Object.keys(body.definitions)).toEqual(
      expect.arrayContaining(["nps", "csat", "complainerRetention"]),
    );
    const months = body.series.satisfaction.map((row) => row.month);
    expect(months).toEqual(["2026-07", "2026-08", "2026-09", "2026-10"]);
    const answered = body.series.satisfaction.filter(
      (row) => (row.nps as { responses: number }).responses > 0,
    );
    expect(answered.map((row) => row.month)).toEqual(["2026-09", "2026-10"]);
    const figures = (want: ReturnType<typeof satisfactionOfMonth>) => ({
      nps: { ...want.nps, score: want.nps.score === null ? null : expect.closeTo(want.nps.score, 9) },
      csat: { ...want.csat, score: want.csat.score === null ? null : expect.closeTo(want.csat.score, 9) },
    });
    for (const row of body.series.satisfaction) {
      const want = satisfactionOfMonth(expected.values(), row.month);
      expect({ month: row.month, nps: row.nps, csat: row.csat }).toEqual({
        month: row.month,
        ...figures(want),
      });
      // By channel and by store (the replay's surveys are about a purchase: its channel and store).
      for (const [split, groups] of [
        ["channel", row.byChannel],
        ["storeId", row.byStore],
      ] as const) {
        const names = Object.keys(groups);
        if (row.nps.responses > 0) expect(names.length).toBeGreaterThan(0);
        expect(names).not.toContain("other");
        for (const name of names) {
          const of = satisfactionOfMonth(expected.values(), row.month, (answer) => answer[split] === name);
          expect({ [split]: name, ...groups[name] }).toEqual({ [split]: name, ...figures(of) });
        }
        const answered = Object.values(groups).reduce((sum, g) => sum + g.nps.responses, 0);
        expect(answered).toBe(row.nps.responses);
      }
    }
    const newest = body.months.at(-1);
    expect(newest?.month).toBe("2026-10");
    const want = complainerRetention(expected.values());
    expect(newest?.serviceRecovery).toEqual({
      recovered: { ...want.recovered, retentionRate: expect.closeTo(want.recovered.retentionRate, 9) },
      unrecovered: { ...want.unrecovered, retentionRate: expect.closeTo(want.unrecovered.retentionRate, 9) },
    });
  });
});
