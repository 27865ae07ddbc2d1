import { describe, expect, it } from "vitest";
import { parseInbound } from "../../../events/envelope";
import { isProducerSource } from "../../../events/sources";
import { defaultProducers } from "../../../infra/config";
import { type ReplayEvent, replayEvents } from "../../../scripts/replay/replay-events";
import { syntheticPurchaseLog } from "../../../scripts/replay/synthetic-log";
import {
  type SatisfactionOptions,
  satisfactionEvents,
  withSatisfaction,
} from "../../../scripts/replay/synthetic-satisfaction";

// The synthetic replay's surveys, complaints and the service desk's resolutions: valid by the inbound
// contracts, from a producer the bus accepts, after the member's purchases and within the log, at most one a
// member a day, deterministic by seed, and resolutions only of cases that the rules open.

const END_DAY = "2026-10-30";
const purchases = replayEvents(syntheticPurchaseLog({ members: 300, seed: 2, endDay: END_DAY }), {
  endDay: END_DAY,
});
const options: SatisfactionOptions = {
  seed: 2,
  detractor: { npsAtMost: 6, csatAtMost: 2 },
  endAt: new Date(`${END_DAY}T23:59:59.999Z`),
};

interface Detail {
  memberId: string;
  interactionId: string;
  kind: string;
  occurredAt: string;
  attributes: Record<string, string | number>;
}
const detailOf = (event: ReplayEvent) => JSON.parse(event.entry.Detail ?? "{}") as Detail;
const kinds = (events: readonly ReplayEvent[]) => events.map((e) => detailOf(e).kind);
const sourceAllowed = (source: string) =>
  defaultProducers.some((p) => p.sources.some((s) => source.startsWith(s.replace(/\*$/, ""))));

describe("synthetic satisfaction", () => {
  const events = satisfactionEvents(purchases, options);
  const details = events.map(detailOf);

  it("sends valid Interaction Recorded events, from an accepted producer, in time order", () => {
    expect(events.length).toBeGreaterThan(50);
    for (const event of events) {
      const parsed = parseInbound({
        version: "0",
        id: "e-1",
        "detail-type": event.entry.DetailType,
        source: event.entry.Source,
        account: "123456789012",
        time: event.at.toISOString(),
        region: "eu-west-1",
        resources: [],
        detail: JSON.parse(event.entry.Detail ?? "{}"),
      });
      expect(parsed).toMatchObject({ ok: true, id: "interactionRecorded" });
      expect(isProducerSource(event.entry.Source ?? "") && sourceAllowed(event.entry.Source ?? "")).toBe(
        true,
      );
      expect(detailOf(event).occurredAt).toBe(event.at.toISOString());
    }
    const times = events.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("answers with NPS and/or CSAT, some detractors, and comments only from the unhappy", () => {
    const surveys = details.filter((d) => d.kind === "survey-answered").map((d) => d.attributes);
    const nps = surveys.flatMap((a) => (typeof a.npsScore === "number" ? [a.npsScore] : []));
    expect(surveys.some((a) => a.npsScore !== undefined && a.csatScore === undefined)).toBe(true);
    expect(surveys.some((a) => a.npsScore === undefined && a.csatScore !== undefined)).toBe(true);
    expect(surveys.some((a) => a.npsScore !== undefined && a.csatScore !== undefined)).toBe(true);
    expect(nps.filter((s) => s <= 6).length).toBeGreaterThan(0);
    expect(nps.filter((s) => s >= 9).length).toBeGreaterThan(0);
    for (const a of surveys.filter((s) => s.comment !== undefined))
      expect(Number(a.npsScore ?? 10) <= 6 || Number(a.csatScore ?? 5) <= 2).toBe(true);
  });

  it("follows the member's purchases, ends with the log, and makes one contact a member a day", () => {
    const firstPurchase = new Map<string, number>();
    for (const e of purchases)
      if (e.entry.DetailType === "Purchase Completed" && !firstPurchase.has(detailOf(e).memberId))
        firstPurchase.set(detailOf(e).memberId, e.at.getTime());
    const days = new Set<string>();
    for (const [i, d] of details.entries()) {
      const at = events[i]?.at.getTime() ?? 0;
      expect(at).toBeGreaterThan(firstPurchase.get(d.memberId) ?? Number.POSITIVE_INFINITY);
      expect(at).toBeLessThanOrEqual(options.endAt.getTime());
      const day = `${d.memberId}|${d.occurredAt.slice(0, 10)}`;
      expect(days.has(day)).toBe(false);
      days.add(day);
    }
  });

  it("resolves only cases a detractor answer or a complaint opened, each at most once", () => {
    const open = new Map<string, string | undefined>();
    const resolved = new Set<string>();
    for (const d of details) {
      const { npsScore, csatScore, complaintId } = d.attributes;
      if (d.kind === "complaint-resolved") {
        expect(open.get(d.memberId)).toBe(complaintId);
        expect(resolved.has(String(complaintId))).toBe(false);
        resolved.add(String(complaintId));
        open.set(d.memberId, undefined);
        continue;
      }
      const detractor = Number(npsScore ?? 10) <= 6 || Number(csatScore ?? 5) <= 2;
      if ((d.kind === "complaint-opened" || detractor) && open.get(d.memberId) === undefined)
        open.set(d.memberId, String(complaintId ?? d.interactionId));
    }
    expect(resolved.size).toBeGreaterThan(5);
    expect([...open.values()].filter((id) => id !== undefined).length).toBeGreaterThan(0);
  });

  it("is the same for the same seed, leaves the purchases alone, and follows its rates", () => {
    expect(satisfactionEvents(purchases, options)).toEqual(events);
    expect(satisfactionEvents(purchases, { ...options, seed: 3 })).not.toEqual(events);
    const merged = withSatisfaction(purchases, options);
    expect(merged.filter((e) => e.entry.DetailType !== "Interaction Recorded")).toEqual(purchases);
    expect(satisfactionEvents(purchases, { ...options, surveyRate: 0, complaintRate: 0 })).toEqual([]);
    const complaintsOnly = satisfactionEvents(purchases, { ...options, surveyRate: 0, complaintRate: 1 });
    expect(new Set(kinds(complaintsOnly))).toEqual(new Set(["complaint-opened", "complaint-resolved"]));
    expect(() => satisfactionEvents(purchases, { ...options, surveyRate: 1.5 })).toThrow(
      "surveyRate must be from 0 to 1",
    );
  });
});
