import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolment, envelope, seededRandom } from "../pipeline/events";
import { memberToken, startTestApi, type TestApi } from "./http-fixture";
import { type MemberEvents, memberEventsOn } from "./member-events";

// PUT /me/preferences and Member Updated write different fields of the same PROFILE item. Every write is a
// conditional, per-field-timestamped merge, so racing writers never lose each other's changes: per field,
// the change with the newest time survives whatever order the writes land in.

const MEMBERS = 10;
const DAY = 86_400_000;
const ZONES = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "Europe/Berlin"];
const LOCALES = ["fr-FR", "de-DE", "it-IT"];

let t: TestApi;
let events: MemberEvents;

beforeAll(async () => {
  t = await startTestApi();
  events = memberEventsOn(t);
});
afterAll(async () => {
  await t.stop();
});

const memberId = (n: number) => `race-${n}`;

function preferencesFor(n: number, round: number) {
  return {
    consent: { email: (n + round) % 2 === 0, sms: round === 1, push: n % 3 === 0 },
    timeZone: ZONES[(n + round) % ZONES.length] as string,
    quietHours: round === 0 ? null : { start: "21:00", end: `0${n % 10}:30` },
  };
}

/** Three e-mail changes, one day apart, for one member: the last one (index 2) is the newest. */
function emailChanges(n: number, base: number) {
  return [0, 1, 2].map((i) =>
    envelope("Member Updated", {
      schemaVersion: "1",
      memberId: memberId(n),
      occurredAt: new Date(base + i * DAY).toISOString(),
      email: `race-${n}+${i}@example.com`,
      locale: LOCALES[i],
    }),
  );
}

describe("racing profile writers", () => {
  it("50 racing writes (20 PUT /me/preferences, 30 Member Updated): every newest field survives", async () => {
    const base = Date.now() - 5 * DAY;
    for (let n = 0; n < MEMBERS; n += 1) {
      expect((await events.deliver(enrolment(memberId(n), new Date(base - DAY).toISOString()))).status).toBe(
        "committed",
      );
    }
    const random = seededRandom(11);
    const tokens = await Promise.all(Array.from({ length: MEMBERS }, (_, n) => memberToken(memberId(n))));
    const writers: Promise<unknown>[] = [];
    for (let n = 0; n < MEMBERS; n += 1) {
      const token = tokens[n];
      // Two PUTs one after the other (the second is the last written), racing the member's e-mail changes.
      writers.push(
        (async () => {
          for (const round of [0, 1]) {
            const res = await t.call("PUT", "/me/preferences", { token, body: preferencesFor(n, round) });
            expect(res.status, `${memberId(n)} PUT ${round}`).toBe(200);
          }
        })(),
      );
      // Delivered in a shuffled order: the newest change must win even when it lands first.
      const changes = emailChanges(n, base).sort(() => random() - 0.5);
      for (const change of changes) {
        writers.push(
          events.deliver(change).then((result) => expect(result.status).toMatch(/^(committed|unchanged)$/)),
        );
      }
    }
    // 10 members × (2 PUTs + 3 e-mail changes) = 50 writes in flight together.
    await Promise.all(writers);

    for (let n = 0; n < MEMBERS; n += 1) {
      const profile = await t.api.deps.members.getProfile<Record<string, unknown>>(memberId(n));
      const { consent, timeZone, quietHours } = preferencesFor(n, 1);
      expect(profile, memberId(n)).toMatchObject({
        email: `race-${n}+2@example.com`,
        locale: LOCALES[2],
        consent,
        timeZone,
        quietHours,
        profile: { givenName: "Jane", familyName: "Doe" },
      });
    }
  });
});
