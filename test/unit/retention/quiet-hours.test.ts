import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  endOfQuietHours,
  isQuietMinute,
  localMinute,
  type QuietWindow,
  quietWindows,
} from "../../../domain/messaging/local-time";
import { decideSend, type SendCandidate } from "../../../domain/messaging/send-policy";

const program = { enabled: true, startHour: 21, endHour: 8 };
const noProgram = { ...program, enabled: false };

function window(start: string, end: string): QuietWindow {
  const minute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return { startMinute: minute(start), endMinute: minute(end) };
}

/** When a message due at `now` may go out, as an ISO instant. */
function sendAt(now: string, windows: QuietWindow[], timeZone = "Europe/Berlin"): string | undefined {
  const at = endOfQuietHours(Date.parse(now), windows, timeZone);
  return at === undefined ? undefined : new Date(at).toISOString();
}

describe("the member's own quiet hours", () => {
  const member = quietWindows(noProgram, window("22:30", "07:15"));

  it("hold a send from their start to the minute they end, in the member's time zone", () => {
    // June in Berlin is UTC+2.
    expect(sendAt("2025-06-02T20:29:00Z", member)).toBe("2025-06-02T20:29:00.000Z"); // 22:29
    expect(sendAt("2025-06-02T20:30:00Z", member)).toBe("2025-06-03T05:15:00.000Z"); // 22:30
    expect(sendAt("2025-06-03T05:14:30Z", member)).toBe("2025-06-03T05:15:00.000Z"); // 07:14:30
    expect(sendAt("2025-06-03T05:15:00Z", member)).toBe("2025-06-03T05:15:00.000Z"); // 07:15
    expect(sendAt("2025-06-02T20:30:00Z", member, "America/New_York")).toBe("2025-06-02T20:30:00.000Z");
  });

  it("end on the exact minute, not on the next quarter hour", () => {
    expect(sendAt("2025-06-02T21:00:00Z", quietWindows(noProgram, window("22:30", "07:07")))).toBe(
      "2025-06-03T05:07:00.000Z",
    );
    // Kathmandu is UTC+05:45: 22:45 local, quiet until 07:07 local.
    expect(
      sendAt("2025-06-02T17:00:00Z", quietWindows(noProgram, window("22:30", "07:07")), "Asia/Kathmandu"),
    ).toBe("2025-06-03T01:22:00.000Z");
  });

  it("span midnight", () => {
    const late = quietWindows(noProgram, window("23:45", "00:20"));
    expect(sendAt("2025-06-02T21:44:00Z", late)).toBe("2025-06-02T21:44:00.000Z"); // 23:44
    expect(sendAt("2025-06-02T21:50:00Z", late)).toBe("2025-06-02T22:20:00.000Z"); // 23:50 → 00:20
    expect(sendAt("2025-06-02T22:10:00Z", late)).toBe("2025-06-02T22:20:00.000Z"); // 00:10 → 00:20
  });

  it("mean no personal quiet time when start equals end", () => {
    const none = quietWindows(noProgram, window("22:00", "22:00"));
    for (const now of ["2025-06-02T20:00:00Z", "2025-06-02T21:00:00Z", "2025-06-03T03:00:00Z"])
      expect(sendAt(now, none)).toBe(new Date(now).toISOString());
    // The program's quiet hours still apply.
    const withProgram = quietWindows(program, window("22:00", "22:00"));
    expect(sendAt("2025-06-02T21:00:00Z", withProgram)).toBe("2025-06-03T06:00:00.000Z");
    expect(sendAt("2025-06-02T10:00:00Z", withProgram)).toBe("2025-06-02T10:00:00.000Z");
  });
});

describe("the program's and the member's quiet hours together", () => {
  it("apply both: whichever window the send falls in holds it", () => {
    const midday = quietWindows(program, window("12:00", "14:30"));
    expect(sendAt("2025-06-02T11:00:00Z", midday)).toBe("2025-06-02T12:30:00.000Z"); // 13:00 → 14:30
    expect(sendAt("2025-06-02T19:00:00Z", midday)).toBe("2025-06-03T06:00:00.000Z"); // 21:00 → 08:00
    expect(sendAt("2025-06-02T13:00:00Z", midday)).toBe("2025-06-02T13:00:00.000Z"); // 15:00
    // A member window inside the program's changes nothing.
    expect(sendAt("2025-06-02T21:00:00Z", quietWindows(program, window("22:30", "07:15")))).toBe(
      "2025-06-03T06:00:00.000Z",
    );
  });

  it("run on through overlapping windows to the end of the later one", () => {
    const longer = quietWindows(program, window("07:30", "09:10"));
    expect(sendAt("2025-06-02T21:00:00Z", longer)).toBe("2025-06-03T07:10:00.000Z"); // 23:00 → 09:10
  });

  it("find a gap between the windows shorter than a quarter hour", () => {
    // Quiet 19:00–20:58 (member) and from 21:00 (program): 20:58 and 20:59 are free.
    const evening = quietWindows(program, window("19:00", "20:58"));
    expect(sendAt("2025-06-02T17:30:00Z", evening)).toBe("2025-06-02T18:58:00.000Z");
  });

  it("let the member's quiet hours hold a send the program's would allow", () => {
    const candidate: SendCandidate = {
      messageKey: "msg:m:birthday:2025",
      priority: 40,
      dueOn: "2025-06-01",
      validUntil: "2025-06-30",
      holdoutApplies: false,
    };
    const base = {
      consent: { marketing: true },
      suppression: { suppressed: false, bounced: false, complained: false },
      inHoldout: false,
      recentSends: [],
      cap: { maxMessages: 1, perDays: 7 },
      timeZone: "Europe/Berlin",
      now: "2025-06-02T08:00:00Z", // 10:00 in Berlin
      candidates: [candidate],
    };
    expect(decideSend({ ...base, quietWindows: quietWindows(program) }).send).toBe(candidate);
    const held = decideSend({ ...base, quietWindows: quietWindows(program, window("09:30", "11:47")) });
    expect(held.send).toBeUndefined();
    expect(held.deferred).toEqual([{ candidate, until: "2025-06-02T09:47:00.000Z", reason: "quiet-hours" }]);
  });

  it("find no instant when the windows together leave no minute of the day", () => {
    const allDay = quietWindows(program, window("08:00", "21:00"));
    expect(endOfQuietHours(Date.parse("2025-06-02T10:00:00Z"), allDay, "Europe/Berlin")).toBeUndefined();
    // The member asked for no sends at all: the e-mail is dropped, not an error that stops the member's run.
    const candidate: SendCandidate = {
      messageKey: "msg:m:at-risk:2025-06-02",
      priority: 20,
      dueOn: "2025-06-02",
      validUntil: "2025-06-09",
      holdoutApplies: true,
    };
    const decision = decideSend({
      consent: { marketing: true },
      suppression: { suppressed: false, bounced: false, complained: false },
      inHoldout: false,
      recentSends: [],
      cap: { maxMessages: 1, perDays: 7 },
      quietWindows: allDay,
      timeZone: "Europe/Berlin",
      now: "2025-06-02T10:00:00Z",
      candidates: [candidate],
    });
    expect(decision).toEqual({ deferred: [], dropped: [{ candidate, reason: "no-send-window" }] });
  });
});

describe("quiet hours on DST days", () => {
  it("follow the wall clock the night Berlin moves to summer time", () => {
    // 2025-03-30: 02:00 CET (01:00Z) becomes 03:00 CEST.
    expect(sendAt("2025-03-29T21:30:00Z", quietWindows(noProgram, window("22:30", "07:15")))).toBe(
      "2025-03-30T05:15:00.000Z",
    );
    // 02:40 does not exist that night: the first minute outside is 03:00 CEST.
    expect(sendAt("2025-03-29T22:00:00Z", quietWindows(noProgram, window("22:30", "02:40")))).toBe(
      "2025-03-30T01:00:00.000Z",
    );
    // Only 02:00–02:59 is free, and it is skipped that night: the next free minute is a day later.
    expect(sendAt("2025-03-29T02:00:00Z", quietWindows(noProgram, window("03:00", "02:00")))).toBe(
      "2025-03-31T00:00:00.000Z",
    );
  });

  it("hold a send twice in the hour Berlin repeats when summer time ends", () => {
    // 2025-10-26: 03:00 CEST (01:00Z) becomes 02:00 CET, so 02:00–02:10 comes round twice.
    const twice = quietWindows(noProgram, window("01:30", "02:10"));
    expect(sendAt("2025-10-25T23:45:00Z", twice)).toBe("2025-10-26T00:10:00.000Z");
    expect(sendAt("2025-10-26T00:30:00Z", twice)).toBe("2025-10-26T00:30:00.000Z"); // 02:30 CEST
    expect(sendAt("2025-10-26T01:05:00Z", twice)).toBe("2025-10-26T01:10:00.000Z"); // 02:05 CET
  });

  it("follow the wall clock the night New York moves to daylight time", () => {
    // 2025-03-09: 02:00 EST (07:00Z) becomes 03:00 EDT.
    const member = window("22:30", "07:15");
    expect(sendAt("2025-03-09T04:00:00Z", quietWindows(noProgram, member), "America/New_York")).toBe(
      "2025-03-09T11:15:00.000Z",
    );
    expect(sendAt("2025-03-09T04:00:00Z", quietWindows(program, member), "America/New_York")).toBe(
      "2025-03-09T12:00:00.000Z",
    );
  });

  it("always lands on the first minute outside every window, in any zone", () => {
    const zones = ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "UTC"];
    const around = [
      Date.parse("2025-03-30T01:00:00Z"),
      Date.parse("2025-10-26T01:00:00Z"),
      Date.parse("2025-03-09T07:00:00Z"),
      Date.parse("2025-04-05T15:00:00Z"),
    ];
    const minuteOfDay = fc.integer({ min: 0, max: 24 * 60 - 1 });
    // Walks every minute asking Intl each time: slow, but independent of the quarter-hour arithmetic.
    const firstFreeMinute = (now: number, windows: QuietWindow[], zone: string): number | undefined => {
      if (!isQuietMinute(localMinute(now, zone), windows)) return now;
      for (let t = Math.floor(now / 60_000) * 60_000 + 60_000; t <= now + 48 * 3_600_000; t += 60_000)
        if (!isQuietMinute(localMinute(t, zone), windows)) return t;
      return undefined;
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...around),
        fc.integer({ min: -36 * 3_600, max: 36 * 3_600 }),
        fc.record({ enabled: fc.boolean(), startHour: fc.nat(23), endHour: fc.nat(23) }),
        fc.option(fc.record({ startMinute: minuteOfDay, endMinute: minuteOfDay }), { nil: undefined }),
        (zone, base, seconds, hours, member) => {
          fc.pre(hours.startHour !== hours.endHour);
          const windows = quietWindows(hours, member);
          const now = base + seconds * 1_000;
          const expected = firstFreeMinute(now, windows, zone);
          expect(endOfQuietHours(now, windows, zone)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
