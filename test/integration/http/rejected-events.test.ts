import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RejectedEvent, tableRejectedEventSink } from "../../../functions/adapters/bus/rejected-events";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// GET /rejected-events?day= shows marketers what the consumers parked (reason, field paths, envelope ids,
// sizes) without the raw event, which may hold PII.

let t: TestApi;
let marketer: string;
const DAY = "2026-02-03";
const SECRET = "jane.secret@example.test";

const rejection = (n: number, overrides: Partial<RejectedEvent> = {}): RejectedEvent => ({
  receivedAt: `${DAY}T10:0${n}:00.000Z`,
  reason: "INVALID_EVENT",
  errors: [{ path: "detail.email", message: "must be a valid e-mail address" }],
  eventId: `evt-${n}`,
  detailType: "Member Enrolled",
  source: "retail.web.shop",
  event: { id: `evt-${n}`, detail: { memberId: "m-9", email: SECRET, n } },
  ...overrides,
});

beforeAll(async () => {
  t = await startTestApi();
  marketer = await marketerToken("ops");
  const sink = tableRejectedEventSink({ client: t.api.table.client, tableName: t.api.table.tableName });
  for (const n of [1, 2, 3]) await sink.put(rejection(n));
  await sink.put(rejection(4, { receivedAt: "2026-02-04T08:00:00.000Z", eventId: "evt-next-day" }));
  await sink.put(rejection(5, { receivedAt: new Date().toISOString(), eventId: "evt-today" }));
  const { eventId: _none, ...withoutId } = rejection(6, { reason: "INVALID_FACTS" });
  await sink.put(withoutId);
  // A producer that put personal data where an envelope field belongs.
  await sink.put(rejection(7, { receivedAt: "2026-02-05T07:00:00.000Z", detailType: SECRET }));
});
afterAll(async () => {
  await t.stop();
});

describe("GET /rejected-events", () => {
  it("lists a day's parked events newest first, with reason, field paths, ids and sizes", async () => {
    const res = await t.call("GET", `/rejected-events?day=${DAY}`, { token: marketer });
    expect(res.status).toBe(200);
    expect(res.body.day).toBe(DAY);
    expect(res.body.events.map((e: { receivedAt: string }) => e.receivedAt)).toEqual([
      `${DAY}T10:06:00.000Z`,
      `${DAY}T10:03:00.000Z`,
      `${DAY}T10:02:00.000Z`,
      `${DAY}T10:01:00.000Z`,
    ]);
    expect(res.body.events[1]).toEqual({
      receivedAt: `${DAY}T10:03:00.000Z`,
      reason: "INVALID_EVENT",
      errors: [{ path: "detail.email", message: "must be a valid e-mail address" }],
      eventId: "evt-3",
      detailType: "Member Enrolled",
      source: "retail.web.shop",
      event: { bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), truncated: false },
    });
    expect(res.body.events[0].eventId).toBeUndefined();
    expect(res.body.events[0].reason).toBe("INVALID_FACTS");
  });

  it("never returns the raw event: no value of it appears in the answer", async () => {
    const res = await t.call("GET", `/rejected-events?day=${DAY}`, { token: marketer });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(JSON.stringify(res.body)).not.toContain("m-9");
    const misfiled = await t.call("GET", "/rejected-events?day=2026-02-05", { token: marketer });
    expect(misfiled.body.events[0].detailType).toBe("(withheld)");
    expect(JSON.stringify(misfiled.body)).not.toContain(SECRET);
  });

  it("pages with a cursor, without repeating or skipping an event", async () => {
    const first = await t.call("GET", `/rejected-events?day=${DAY}&limit=3`, { token: marketer });
    expect(first.body.events).toHaveLength(3);
    expect(typeof first.body.nextCursor).toBe("string");
    const second = await t.call(
      "GET",
      `/rejected-events?day=${DAY}&limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { token: marketer },
    );
    expect(second.status).toBe(200);
    expect(second.body.events.map((e: { receivedAt: string }) => e.receivedAt)).toEqual([
      `${DAY}T10:01:00.000Z`,
    ]);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it("defaults to today (UTC) and keeps days apart", async () => {
    const today = await t.call("GET", "/rejected-events", { token: marketer });
    expect(today.body.day).toBe(new Date().toISOString().slice(0, 10));
    expect(today.body.events.map((e: { eventId?: string }) => e.eventId)).toEqual(["evt-today"]);
    const next = await t.call("GET", "/rejected-events?day=2026-02-04", { token: marketer });
    expect(next.body.events.map((e: { eventId?: string }) => e.eventId)).toEqual(["evt-next-day"]);
    const empty = await t.call("GET", "/rejected-events?day=2025-01-01", { token: marketer });
    expect(empty.body).toEqual({ day: "2025-01-01", events: [] });
  });

  it("rejects a malformed day, or a cursor of another day, with the field path", async () => {
    const bad = await t.call("GET", "/rejected-events?day=2026-13-40", { token: marketer });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain("query.day");
    const first = await t.call("GET", `/rejected-events?day=${DAY}&limit=1`, { token: marketer });
    const foreign = await t.call(
      "GET",
      `/rejected-events?day=2026-02-04&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { token: marketer },
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.cursor"]);
  });

  it("is for marketers only", async () => {
    expect((await t.call("GET", `/rejected-events?day=${DAY}`)).status).toBe(401);
    const member = await t.call("GET", `/rejected-events?day=${DAY}`, { token: await memberToken("m-1") });
    expect(member.status).toBe(403);
  });
});
