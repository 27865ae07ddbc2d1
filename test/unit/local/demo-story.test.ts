import { describe, expect, it } from "vitest";
import {
  applyPurchase,
  checkEventTime,
  enrolMember,
  exampleProgram,
  frequencyProgress,
  type MemberState,
} from "../../../domain";
import { isInHoldout } from "../../../domain/retention/holdout";
import { evaluateLifecycle } from "../../../domain/retention/lifecycle";
import { utcDay } from "../../../domain/time";
import { parseInbound } from "../../../events/envelope";
import { purchaseFacts } from "../../../functions/pipeline/mapping";
import { daytimeZone, demoStory, enrolmentEntry, purchaseEntry } from "../../../scripts/demo/demo-story";

// The demo's story, played through the domain with the seeded program as the running platform would (the
// processing clock is the demo's `now`), so a change to the program or the rules that breaks it fails here.

const NOW = new Date("2026-03-10T12:34:00Z");
const story = demoStory(daytimeZone(NOW));
const program = exampleProgram;

function envelope(entry: ReturnType<typeof purchaseEntry>) {
  return {
    version: "0",
    id: "demo",
    "detail-type": entry.DetailType,
    source: entry.Source,
    account: "000000000000",
    time: NOW.toISOString(),
    region: "us-east-1",
    resources: [],
    detail: JSON.parse(entry.Detail ?? "{}"),
  };
}

function play(memberId: string) {
  const member = story.members.find((m) => m.memberId === memberId);
  if (!member) throw new Error(memberId);
  const enrolled = parseInbound(envelope(enrolmentEntry(member, NOW)));
  if (!enrolled.ok || enrolled.id !== "memberEnrolled") throw new Error("enrolment does not parse");
  let state: MemberState = enrolMember(memberId, enrolled.detail.occurredAt, program).state;
  const reasons: string[] = [];
  for (const purchase of member.purchases) {
    const parsed = parseInbound(envelope(purchaseEntry(member, purchase, NOW)));
    if (!parsed.ok || parsed.id !== "purchaseCompleted")
      throw new Error(`${purchase.orderId} does not parse`);
    const time = checkEventTime({
      program,
      occurredAt: parsed.detail.occurredAt,
      now: NOW,
      kind: "purchase",
    });
    expect(time, purchase.orderId).toEqual({ ok: true });
    const result = applyPurchase(state, program, purchaseFacts(parsed.detail, parsed.idempotencyKey), {
      now: NOW,
    });
    state = result.state;
    reasons.push(...result.entries.map((e) => e.reason));
  }
  return { state, reasons };
}

describe("the demo story on the seeded program", () => {
  it("lifts Ada to Gold", () => {
    expect(play(story.upgradedMemberId).state.tier.tierId).toBe("gold");
  });

  it("leaves Ben's coffee card at 5 of 9, with the streak bonus earned on the way", () => {
    const { state, reasons } = play(story.punchCardMemberId);
    const [card] = frequencyProgress(state, program, utcDay(NOW)).punchCards;
    expect(card).toMatchObject({ punches: 5, punchesRequired: 9 });
    expect(reasons.some((r) => r.startsWith("3 visits in 14 days"))).toBe(true);
  });

  it("has Chloé lapsed by now, outside the holdout, so the retention check e-mails her", () => {
    const { state } = play(story.lapsingMemberId);
    const { holdout } = program.retention;
    expect(isInHoldout(story.lapsingMemberId, holdout.percent, holdout.salt)).toBe(false);
    const lifecycle = evaluateLifecycle(state.retention, program.retention, NOW);
    expect(lifecycle.state.stage).toBe("lapsed");
  });

  it("shows Dan a category the program has no rule for", () => {
    expect(play(story.unknownCategoryMemberId).reasons[0]).toContain("no category rule for vinyl-records");
  });

  it("picks a time zone where it is daytime, at any time of day", () => {
    for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
      const at = new Date(Date.UTC(2026, 0, 15) + minutes * 60_000);
      const zone = daytimeZone(at);
      const hour = Number(
        new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(at),
      );
      expect(hour >= 9 && hour < 20, `${at.toISOString()} in ${zone}`).toBe(true);
    }
  });
});
