import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenSigner, signUnsubscribeToken } from "../../../functions/http/signed-token";
import { profileView } from "../../../functions/retention/profile-view";
import { LOCAL_SIGNING_SECRET } from "../../../scripts/local/http-api/local-jwt";
import { enrolment, envelope } from "../pipeline/events";
import { memberToken, startTestApi, type TestApi } from "./http-fixture";
import { type MemberEvents, memberEventsOn } from "./member-events";

// Consent is a timestamped fact per channel: a one-click unsubscribe is recorded at the time of the request
// (the server clock) and an older consent change never turns marketing back on. A consent change dated after
// the unsubscribe (the member opted in again at the till) does: the newest statement of the member's wish wins.

const DAY = 86_400_000;
const signer = createTokenSigner(LOCAL_SIGNING_SECRET);
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestApi;
let events: MemberEvents;

beforeAll(async () => {
  t = await startTestApi();
  events = memberEventsOn(t);
});
afterAll(async () => {
  await t.stop();
});

const consentUpdate = (memberId: string, occurredAt: string, consent: Record<string, boolean>) =>
  envelope("Member Updated", { schemaVersion: "1", memberId, occurredAt, consent });

async function unsubscribe(memberId: string, channel: string) {
  const token = signUnsubscribeToken(signer, { memberId, channel, issuedAt: new Date().toISOString() });
  return t.call("POST", `/unsubscribe?token=${encodeURIComponent(token)}`, {
    rawBody: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

async function preferences(memberId: string) {
  const res = await t.call("GET", "/me/preferences", { token: await memberToken(memberId) });
  expect(res.status).toBe(200);
  return res.body;
}

/** What the retention sender reads before it mails a member. */
async function senderView(memberId: string) {
  return profileView(await t.api.deps.members.getProfile(memberId));
}

async function enrolled(memberId: string) {
  expect((await events.deliver(enrolment(memberId, daysAgo(6)))).status).toBe("committed");
  expect((await senderView(memberId)).emailConsent).toBe(true);
}

describe("consent as timestamped facts", () => {
  it("an unsubscribe wins over a consent update dated five days before it", async () => {
    await enrolled("c-1");
    expect((await unsubscribe("c-1", "email")).status).toBe(200);
    const stale = consentUpdate("c-1", daysAgo(5), { email: true, sms: true, push: false });
    expect((await events.deliver(stale)).status).toBe("committed");

    expect((await preferences("c-1")).consent).toEqual({ email: false, sms: true, push: false });
    expect((await senderView("c-1")).emailConsent).toBe(false);
    // Redelivered, it still changes nothing.
    expect((await events.deliver({ ...stale, id: "again" })).status).toBe("unchanged");
    expect((await senderView("c-1")).emailConsent).toBe(false);
  });

  it("a second click on the link re-records the withdrawal and keeps consent off", async () => {
    await enrolled("c-2");
    expect((await unsubscribe("c-2", "email")).status).toBe(200);
    expect((await unsubscribe("c-2", "email")).status).toBe(200);
    await events.deliver(consentUpdate("c-2", daysAgo(1), { email: true, sms: false, push: false }));
    expect((await senderView("c-2")).emailConsent).toBe(false);
  });

  it("a consent change dated after the unsubscribe turns e-mail on again", async () => {
    await enrolled("c-3");
    expect((await unsubscribe("c-3", "email")).status).toBe(200);
    await pause(5);
    const optIn = consentUpdate("c-3", new Date().toISOString(), { email: true, sms: false, push: false });
    expect((await events.deliver(optIn)).status).toBe("committed");
    expect((await senderView("c-3")).emailConsent).toBe(true);
  });

  it("each channel has its own time: a newer SMS unsubscribe does not block an older e-mail change", async () => {
    await enrolled("c-4");
    expect((await unsubscribe("c-4", "sms")).status).toBe(200);
    const update = consentUpdate("c-4", daysAgo(2), { email: false, sms: true, push: true });
    expect((await events.deliver(update)).status).toBe("committed");
    expect((await preferences("c-4")).consent).toEqual({ email: false, sms: false, push: true });
    expect((await senderView("c-4")).emailConsent).toBe(false);
  });

  it("preferences saved in the app are stamped with the server clock, so an older event cannot undo them", async () => {
    await enrolled("c-5");
    const token = await memberToken("c-5");
    const saved = {
      consent: { email: false, sms: false, push: true },
      timeZone: "Europe/Paris",
      quietHours: null,
    };
    const put = await t.call("PUT", "/me/preferences", { token, body: saved });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(saved);
    const stale = envelope("Member Updated", {
      schemaVersion: "1",
      memberId: "c-5",
      occurredAt: daysAgo(3),
      consent: { email: true, sms: true, push: false },
      timeZone: "Europe/London",
      email: "c-5+new@example.com",
    });
    expect((await events.deliver(stale)).status).toBe("committed");
    expect(await preferences("c-5")).toEqual(saved);
    const view = await senderView("c-5");
    expect(view).toMatchObject({
      emailConsent: false,
      email: "c-5+new@example.com",
      timeZone: "Europe/Paris",
    });
  });
});
