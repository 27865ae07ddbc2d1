import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberState } from "../../../domain";
import { exampleProgramInput, programSchema } from "../../../domain";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import { enrolment } from "../pipeline/events";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";
import { memberEventsOn } from "./member-events";

// GET /me/referral and POST /me/enrolment with a referral code: a shopper who joins over the API with a member's
// code is linked to that member (awaiting their first qualifying purchase); an unknown code enrols without a
// link; the marketer's 360° view names the referrer; a program without referrals answers GET /me/referral with
// 404 referrals-off.

const join = (token: string, email: string, referralCode?: string) => ({
  token,
  body: {
    email,
    locale: "en-GB",
    timeZone: "Europe/London",
    consent: { email: true, sms: false, push: false },
    ...(referralCode !== undefined && { referralCode }),
  },
});

describe("POST /me/enrolment with a referral code", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
    const enrolled = await memberEventsOn(t).deliver(
      enrolment("referrer-1", new Date(Date.now() - 86_400_000).toISOString()),
    );
    expect(enrolled.status).toBe("committed");
  });
  afterAll(async () => {
    await t.stop();
  });

  it("links the new member to the code's owner; the referrer's code stays the same", async () => {
    const referrer = await memberToken("referrer-1");
    const mine = await t.call("GET", "/me/referral", { token: referrer });
    expect(mine.status).toBe(200);
    expect(mine.body.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(mine.body).not.toHaveProperty("referredBy");

    const friend = await signLocalToken({ user: "sub-friend" });
    const joined = await t.call("POST", "/me/enrolment", join(friend, "friend@example.com", mine.body.code));
    expect(joined.status).toBe(201);
    const state = (
      await t.api.deps.members.getMember<MemberState & Record<string, unknown>>(joined.body.memberId)
    )?.state;
    expect(state?.referral?.referredBy).toMatchObject({
      referrerId: "referrer-1",
      status: "awaiting-purchase",
    });
    // The friend's own view: referred, awaiting the first qualifying purchase; a code of their own.
    const theirs = await t.call("GET", "/me/referral", { token: friend });
    expect(theirs.status).toBe(200);
    expect(theirs.body.referredBy).toEqual({ status: "awaiting-purchase" });
    expect(theirs.body.code).not.toBe(mine.body.code);
    const again = await t.call("GET", "/me/referral", { token: referrer });
    expect(again.body).toMatchObject({ code: mine.body.code, asReferrer: { completed: 0 } });
    // The marketer's 360° view names the referrer.
    const marketer = await marketerToken("ada");
    const view = await t.call("GET", `/members/${joined.body.memberId}`, { token: marketer });
    expect(view.status).toBe(200);
    expect(view.body.referral).toEqual({
      asReferrer: { completed: 0, rewardedThisPeriod: 0 },
      referredBy: { referrerId: "referrer-1", linkedAt: joined.body.enrolledAt, status: "awaiting-purchase" },
    });
    const referrerView = await t.call("GET", "/members/referrer-1", { token: marketer });
    expect(referrerView.body.referral).toEqual({ asReferrer: { completed: 0, rewardedThisPeriod: 0 } });
  });

  it("enrols without a link when the code is nobody's", async () => {
    const stranger = await signLocalToken({ user: "sub-stranger" });
    const joined = await t.call("POST", "/me/enrolment", join(stranger, "stranger@example.com", "NOSUCH99"));
    expect(joined.status).toBe(201);
    const state = (
      await t.api.deps.members.getMember<MemberState & Record<string, unknown>>(joined.body.memberId)
    )?.state;
    expect(state?.referral?.referredBy).toBeUndefined();
    const view = await t.call("GET", "/me/referral", { token: stranger });
    expect(view.status).toBe(200);
    expect(view.body).not.toHaveProperty("referredBy");
  });
});

describe("GET /me/referral without referrals in the program", () => {
  let t: TestApi;
  beforeAll(async () => {
    const { referrals: _off, ...input } = structuredClone(exampleProgramInput);
    t = await startTestApi({ program: programSchema.parse(input) });
    await t.enrol("member-1");
  });
  afterAll(async () => {
    await t.stop();
  });

  it("answers 404 referrals-off", async () => {
    const res = await t.call("GET", "/me/referral", { token: await memberToken("member-1") });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ type: "urn:patron:problem:referrals-off", title: "Referrals are off" });
  });
});
