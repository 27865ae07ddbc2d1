import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  endOfQuietHours,
  isQuietMinute,
  localMinute,
  quietWindows,
} from "../../../domain/messaging/local-time";
import {
  capFreeAt,
  decideSend,
  type SendCandidate,
  type SendInput,
} from "../../../domain/messaging/send-policy";

const quiet = quietWindows({ enabled: true, startHour: 21, endHour: 8 });
const cap = { maxMessages: 1, perDays: 7 };

function candidate(
  messageKey: string,
  priority: number,
  overrides: Partial<SendCandidate> = {},
): SendCandidate {
  return {
    messageKey,
    priority,
    dueOn: "2025-06-01",
    validUntil: "2025-06-30",
    holdoutApplies: false,
    ...overrides,
  };
}

function input(overrides: Partial<SendInput<SendCandidate>> = {}): SendInput<SendCandidate> {
  return {
    consent: { marketing: true },
    suppression: { suppressed: false, bounced: false, complained: false },
    inHoldout: false,
    recentSends: [],
    cap,
    quietWindows: quiet,
    timeZone: "Europe/Berlin",
    now: "2025-06-02T10:00:00Z", // 12:00 in Berlin
    candidates: [],
    ...overrides,
  };
}

const promo = candidate("msg:m:birthday:2025", 40);
const critical = candidate("msg:m:points-expiring:2025-06-20", 100, { validUntil: "2025-06-19" });

describe("send policy", () => {
  it("sends the loyalty-critical message first and holds the promotion until the cap window ends", () => {
    const d = decideSend(input({ candidates: [promo, critical] }));
    expect(d.send).toBe(critical);
    expect(d.deferred).toEqual([
      { candidate: promo, until: "2025-06-09T10:00:00.000Z", reason: "frequency-cap" },
    ]);
    expect(d.dropped).toEqual([]);
  });

  it("defers everything while the cap is used up, to when the oldest send leaves the window", () => {
    const d = decideSend(input({ candidates: [critical], recentSends: ["2025-05-30T07:00:00Z"] }));
    expect(d.send).toBeUndefined();
    // 2025-06-06T07:00Z is 09:00 in Berlin: outside quiet hours.
    expect(d.deferred).toEqual([
      { candidate: critical, until: "2025-06-06T07:00:00.000Z", reason: "frequency-cap" },
    ]);
  });

  it("moves a cap deferral that ends in quiet hours to the end of quiet hours", () => {
    const d = decideSend(input({ candidates: [critical], recentSends: ["2025-05-30T20:00:00Z"] })); // 22:00 Berlin
    expect(d.deferred[0]).toMatchObject({ until: "2025-06-07T06:00:00.000Z", reason: "frequency-cap" });
  });

  it("defers to 08:00 in the member's time zone during quiet hours", () => {
    const d = decideSend(input({ candidates: [promo], now: "2025-06-02T21:30:00Z" })); // 23:30 Berlin
    expect(d.deferred).toEqual([
      { candidate: promo, until: "2025-06-03T06:00:00.000Z", reason: "quiet-hours" },
    ]);
    const tokyo = decideSend(
      input({ candidates: [promo], now: "2025-06-02T21:30:00Z", timeZone: "Asia/Tokyo" }),
    );
    // 06:30 in Tokyo: still quiet there, until 08:00 JST.
    expect(tokyo.deferred[0]?.until).toBe("2025-06-02T23:00:00.000Z");
    const newYork = decideSend(
      input({ candidates: [promo], now: "2025-06-02T21:30:00Z", timeZone: "America/New_York" }),
    );
    expect(newYork.send).toBe(promo); // 17:30 in New York
  });

  it("drops for suppression, bounce, complaint, missing consent and the holdout, naming the reason", () => {
    const winBack = candidate("msg:m:win-back-step-1:2025-05-01", 60, { holdoutApplies: true });
    expect(
      decideSend(
        input({ candidates: [promo], suppression: { suppressed: true, bounced: false, complained: false } }),
      ).dropped[0]?.reason,
    ).toBe("suppressed");
    expect(
      decideSend(
        input({ candidates: [promo], suppression: { suppressed: false, bounced: true, complained: false } }),
      ).dropped[0]?.reason,
    ).toBe("bounced");
    expect(
      decideSend(
        input({ candidates: [promo], suppression: { suppressed: false, bounced: false, complained: true } }),
      ).dropped[0]?.reason,
    ).toBe("complained");
    expect(
      decideSend(input({ candidates: [critical], consent: { marketing: false } })).dropped[0]?.reason,
    ).toBe("no-consent");
    const held = decideSend(input({ candidates: [winBack, promo], inHoldout: true }));
    expect(held.dropped).toEqual([{ candidate: winBack, reason: "holdout" }]);
    expect(held.send).toBe(promo);
  });

  it("drops expired candidates, duplicates, and those a deferral would carry past their last day", () => {
    const stale = candidate("stale", 50, { validUntil: "2025-06-01" });
    const short = candidate("short", 40, { validUntil: "2025-06-05" });
    const d = decideSend(input({ candidates: [critical, critical, stale, short] }));
    expect(d.send).toBe(critical);
    expect(d.dropped.map((x) => `${x.candidate.messageKey} ${x.reason}`)).toEqual([
      "msg:m:points-expiring:2025-06-20 duplicate",
      "stale expired",
      "short expires-before-send",
    ]);
  });

  it("sends one per run even when the cap has room", () => {
    const d = decideSend(input({ candidates: [promo, critical], cap: { maxMessages: 3, perDays: 7 } }));
    expect(d.send).toBe(critical);
    expect(d.deferred).toEqual([
      { candidate: promo, until: "2025-06-03T06:00:00.000Z", reason: "one-per-run" },
    ]);
  });

  it("rejects an unknown time zone by field", () => {
    expect(() => decideSend(input({ candidates: [promo], timeZone: "Mars/Olympus" }))).toThrow(/^timeZone: /);
  });

  it("never exceeds the cap, whatever the candidates and their order", () => {
    const run = fc.record({
      hoursLater: fc.integer({ min: 1, max: 72 }),
      candidates: fc.array(
        fc.record({
          key: fc.constantFrom("a", "b", "c", "d", "e"),
          priority: fc.integer({ min: 0, max: 100 }),
        }),
        { maxLength: 5 },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(run, { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 10 }),
        (runs, maxMessages, perDays) => {
          let now = Date.parse("2025-03-20T00:00:00Z");
          let sends: string[] = [];
          for (const r of runs) {
            now += r.hoursLater * 3_600_000;
            const candidates = r.candidates.map((c, i) =>
              candidate(`${c.key}${i}`, c.priority, { validUntil: "2026-01-01" }),
            );
            const base = input({
              now: new Date(now).toISOString(),
              recentSends: sends,
              cap: { maxMessages, perDays },
              candidates,
            });
            const d = decideSend(base);
            const reversed = decideSend({ ...base, candidates: [...candidates].reverse() });
            expect(reversed.send?.messageKey).toBe(d.send?.messageKey);
            if (d.send) {
              const sentAt = new Date(now).toISOString();
              const inWindow = [...sends, sentAt].filter((s) => Date.parse(s) > now - perDays * 86_400_000);
              expect(inWindow.length).toBeLessThanOrEqual(maxMessages);
              expect(isQuietMinute(localMinute(now, "Europe/Berlin"), quiet)).toBe(false);
              sends = [...sends, sentAt];
            }
            for (const x of d.deferred) expect(Date.parse(x.until)).toBeGreaterThan(now);
          }
        },
      ),
    );
  });

  it("computes when the cap frees up", () => {
    const now = Date.parse("2025-06-10T00:00:00Z");
    expect(capFreeAt([], cap, now)).toBe(now);
    expect(capFreeAt(["2025-06-01T00:00:00Z"], cap, now)).toBe(now);
    expect(
      capFreeAt(["2025-06-05T00:00:00Z", "2025-06-08T00:00:00Z"], { maxMessages: 2, perDays: 7 }, now),
    ).toBe(Date.parse("2025-06-12T00:00:00Z"));
  });
});

describe("quiet hours across DST", () => {
  it("ends quiet hours at local 08:00 on the night Berlin moves to summer time", () => {
    // 2025-03-30: 02:00 CET becomes 03:00 CEST; 08:00 CEST is 06:00Z, not 07:00Z.
    expect(endOfQuietHours(Date.parse("2025-03-29T22:30:00Z"), quiet, "Europe/Berlin")).toBe(
      Date.parse("2025-03-30T06:00:00.000Z"),
    );
    // Quiet 00–02: 02:00 does not exist that night, the first hour after quiet time is 03:00 CEST.
    const early = quietWindows({ enabled: true, startHour: 0, endHour: 2 });
    expect(endOfQuietHours(Date.parse("2025-03-30T00:30:00Z"), early, "Europe/Berlin")).toBe(
      Date.parse("2025-03-30T01:00:00.000Z"),
    );
  });

  it("always lands outside quiet hours, at the earliest such minute, in any zone", () => {
    const zones = [
      "Europe/Berlin",
      "America/New_York",
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "UTC",
    ];
    const around = [
      Date.parse("2025-03-30T01:00:00Z"),
      Date.parse("2025-10-26T01:00:00Z"),
      Date.parse("2025-03-09T07:00:00Z"),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...around),
        fc.integer({ min: -36 * 60, max: 36 * 60 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 23 }),
        (zone, base, minutes, startHour, endHour) => {
          fc.pre(startHour !== endHour);
          const q = quietWindows({ enabled: true, startHour, endHour });
          const now = base + minutes * 60_000;
          const end = endOfQuietHours(now, q, zone);
          // The program's quiet hours alone always leave time to send.
          if (end === undefined) throw new Error(`no send time for quiet ${startHour}–${endHour} in ${zone}`);
          expect(end).toBeGreaterThanOrEqual(now);
          expect(isQuietMinute(localMinute(end, zone), q)).toBe(false);
          if (end > now) expect(isQuietMinute(localMinute(end - 60_000, zone), q)).toBe(true);
        },
      ),
    );
  });
});
