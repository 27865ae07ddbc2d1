import { BatchWriteItemCommand, paginateScan } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../../domain/ledger/ledger-entry";
import type { Trigger } from "../../../domain/retention/triggers";
import { tableRejectedEventSink } from "../../../functions/adapters/bus/rejected-events";
import { ledgerSortKey, memberPk } from "../../../functions/adapters/dynamo/keys";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";
import { memberEventsOn } from "./member-events";

// GDPR export and erasure (POST /members/{id}/erasure, GET /members/{id}/export, GET /me/export) on DynamoDB
// Local: the member's e-mail, names and survey comment are written where Patron really writes them (profile,
// adjustment reason, ledger, message record, parked rejected event, identity link), then erased; a scan of the
// whole table must find none of them while balances stay as they were.

const MEMBER = "gdpr-member";
const OTHER = "gdpr-other";
const EMAIL = "Gwendolyn.Quenneville@example.org";
const GIVEN = "Gwendolyn";
const FAMILY = "Quenneville";
const COMMENT = "Courier lost my parcel twice, ring me at home about it";
const OTHER_EMAIL = "other.person@example.org";

let t: TestApi;
let marketer: string;

function enrolment(memberId: string, email: string, given: string, family: string) {
  return {
    version: "0",
    id: `enrol-${memberId}`,
    "detail-type": "Member Enrolled",
    source: "retail.web.shop",
    account: "123456789012",
    time: new Date().toISOString(),
    region: "eu-central-1",
    resources: [],
    detail: {
      schemaVersion: "1",
      memberId,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      email,
      locale: "en-GB",
      timeZone: "Europe/London",
      consent: { email: true, sms: false, push: false },
      profile: { givenName: given, familyName: family },
      channel: "web",
    },
  };
}

/** A survey answer's ledger entry with the member's comment, as the interaction pipeline writes it. */
async function surveyEntry(memberId: string) {
  const snapshot = await t.api.deps.members.getMember(memberId);
  if (!snapshot) throw new Error("member missing");
  const occurredAt = new Date(Date.now() - 30_000).toISOString();
  const entry: LedgerEntry = {
    entryId: `interaction:retail.survey:s-${memberId}`,
    memberId,
    kind: "interaction",
    points: 0,
    statusPoints: 0,
    reason: "Survey answered",
    ruleIds: [],
    programVersion: 1,
    sourceKey: `interaction:retail.survey:s-${memberId}`,
    occurredAt,
    details: {
      type: "interaction",
      interactionId: `s-${memberId}`,
      kind: "survey",
      offeredPoints: 0,
      expiresOn: "2030-01-01",
      survey: { npsScore: 2, comment: COMMENT },
    },
  };
  const result = await t.api.deps.members.commit({
    memberId,
    previous: snapshot,
    nextState: snapshot.state,
    entries: [entry],
    sourceKey: entry.sourceKey,
    payload: "survey",
  });
  expect(result.outcome).toBe("committed");
}

/** A message record whose last error quotes the address, as an SES rejection would. */
async function droppedMessage(memberId: string) {
  const messages = t.api.deps.messages;
  const messageKey = `msg:${memberId}:at-risk-nudge:2026-01`;
  const trigger = { kind: "at-risk-nudge", messageKey } as unknown as Trigger;
  await messages.transact([
    messages.claimAction({
      memberId,
      messageKey,
      status: "claimed",
      trigger,
      claimedAt: "2026-01-05T09:00:00.000Z",
      attempts: 1,
    }),
  ]);
  await messages.markDropped(memberId, messageKey, `rejected: Address blacklisted: ${EMAIL}`);
}

async function parkRejected(memberId: string, email: string, givenName: string) {
  await tableRejectedEventSink(t.api.table).put({
    receivedAt: new Date().toISOString(),
    reason: "INVALID_EVENT",
    errors: [{ path: "detail.birthday", message: "must be --MM-DD" }],
    eventId: `bad-${memberId}`,
    detailType: "Member Updated",
    source: "retail.web.shop",
    event: { detail: { memberId, email, profile: { givenName }, birthday: "1970" } },
  });
}

/** Every item of the test table, as JSON text. */
async function tableText(): Promise<string[]> {
  const texts: string[] = [];
  const pages = paginateScan({ client: t.api.table.client }, { TableName: t.api.table.tableName });
  for await (const page of pages)
    for (const item of page.Items ?? []) texts.push(JSON.stringify(unmarshall(item)));
  return texts;
}

const containing = (texts: string[], needle: string) =>
  texts.filter((text) => text.toLowerCase().includes(needle.toLowerCase()));

beforeAll(async () => {
  t = await startTestApi();
  marketer = await marketerToken("alice");
  const events = memberEventsOn(t);
  await events.deliver(enrolment(MEMBER, EMAIL, GIVEN, FAMILY));
  await events.deliver(enrolment(OTHER, OTHER_EMAIL, "Otto", "Other"));
  await surveyEntry(MEMBER);
  const adjusted = await t.call("POST", `/members/${MEMBER}/adjustments`, {
    token: marketer,
    headers: { "idempotency-key": "goodwill-1" },
    body: { points: 250, reason: `Goodwill for ${GIVEN} ${FAMILY} (${EMAIL}) after a late parcel` },
  });
  expect(adjusted.status).toBe(201);
  // Over the approval threshold: a request that waits, never reaching the ledger, its reason naming the member.
  const pending = await t.call("POST", `/members/${MEMBER}/adjustments`, {
    token: marketer,
    headers: { "idempotency-key": "goodwill-2" },
    body: { points: 9000, reason: `Asked by ${FAMILY} on the phone` },
  });
  expect(pending.status).toBe(202);
  await droppedMessage(MEMBER);
  await parkRejected(MEMBER, EMAIL, GIVEN);
  await parkRejected(OTHER, OTHER_EMAIL, "Otto");
  const linked = await t.api.deps.identityLinks.link({
    link: {
      sub: "sub-gdpr-member",
      memberId: MEMBER,
      method: "verified-email",
      linkedAt: new Date().toISOString(),
      linkedBy: `${GIVEN} ${FAMILY}`,
    },
  });
  expect(linked).toBe("linked");
}, 60_000);
afterAll(async () => {
  await t.stop();
});

describe("GDPR export and erasure", () => {
  it("exports the member to themselves, and only themselves", async () => {
    const token = await memberToken(MEMBER);
    const own = await t.call("GET", "/me/export", { token });
    expect(own.status).toBe(200);
    const text = JSON.stringify(own.body);
    for (const needle of [EMAIL, GIVEN, FAMILY, COMMENT]) expect(text).toContain(needle);
    expect(own.body.memberId).toBe(MEMBER);
    expect(own.body.consent).toContainEqual(expect.objectContaining({ channel: "email", granted: true }));
    expect(own.body.ledger.entries).toHaveLength(2);
    expect(own.body.messages.items).toHaveLength(1);
    expect(own.body.identity.link.sub).toBe("sub-gdpr-member");
    expect(own.body.summary.points.spendable).toBe(250);
    expect(own.body.state).toMatchObject({ memberId: MEMBER, lifetime: { pointsEarned: 0 } });
    // A member token reaches no other member's export, by path or by cursor.
    expect((await t.call("GET", `/members/${OTHER}/export`, { token })).status).toBe(403);
    const otherCursor = await t.call("GET", "/me/export", { token: await memberToken(OTHER) });
    expect(otherCursor.body.memberId).toBe(OTHER);
    expect(JSON.stringify(otherCursor.body)).not.toContain(EMAIL);
  });

  it("erases the member's PII everywhere in the table, keeps the balance, and answers a second request with the first record", async () => {
    const before = await t.call("GET", `/members/${MEMBER}/export`, { token: marketer });
    expect(before.status).toBe(200);
    expect(JSON.stringify(before.body)).toContain(EMAIL);
    const code = await t.api.deps.members.referralCode(MEMBER);
    const beforeText = await tableText();
    expect(containing(beforeText, EMAIL).length).toBeGreaterThan(2);

    const erased = await t.call("POST", `/members/${MEMBER}/erasure`, { token: marketer });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ memberId: MEMBER, status: "erased", requestedBy: { name: "alice" } });
    const pseudonym: string = erased.body.pseudonym;
    expect(pseudonym).toMatch(/^erased-[0-9a-f]{16}$/);
    // The applied and the pending adjustment request, the one parked event, the link both ways and its history.
    expect(erased.body.counts).toMatchObject({
      adjustmentRequests: 2,
      rejectedEvents: 1,
      identityLinks: 1,
      identityItems: 2,
      referralCode: 1,
      profile: 1,
    });
    // The erased member's referral code links no one any more.
    expect(await t.api.deps.members.referralCodeOwner(code)).toBeUndefined();

    const afterText = await tableText();
    for (const needle of [EMAIL, GIVEN, FAMILY, COMMENT]) expect(containing(afterText, needle)).toEqual([]);
    // The scan sees what stays: the other member's profile and parked event, and the pseudonym in place.
    expect(containing(afterText, OTHER_EMAIL).length).toBe(2);
    expect(containing(afterText, pseudonym).length).toBeGreaterThan(0);
    // The erasure record names who and when, never the member's data.
    const record = afterText.filter((text) => text.includes('"SK":"ERASURE"'));
    expect(record).toHaveLength(1);
    expect(record[0]).not.toContain("terms");

    const after = await t.call("GET", `/members/${MEMBER}/export`, { token: marketer });
    expect(after.status).toBe(200);
    expect(after.body.profile).toBeNull();
    expect(after.body.identity.link).toBeUndefined();
    expect(after.body.erasure.pseudonym).toBe(pseudonym);
    expect(after.body.summary.points).toEqual(before.body.summary.points);
    const amounts = (body: { ledger: { entries: { entryId: string; points: number }[] } }) =>
      body.ledger.entries.map((e) => [e.entryId, e.points]);
    expect(amounts(after.body)).toEqual(amounts(before.body));
    const adjustment = after.body.ledger.entries.find((e: { kind: string }) => e.kind === "adjust");
    expect(adjustment.reason).toBe(
      `Adjustment by alice: Goodwill for ${pseudonym} (${pseudonym}) after a late parcel`,
    );
    const survey = after.body.ledger.entries.find((e: { kind: string }) => e.kind === "interaction");
    expect(survey.details.survey).toEqual({ npsScore: 2, comment: "[erased]" });

    const again = await t.call("POST", `/members/${MEMBER}/erasure`, { token: marketer });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(erased.body);
    // A no-op: apart from the audit trail, the table is as the first erasure left it.
    const notAudit = (texts: string[]) => texts.filter((text) => !text.includes('"PK":"AUDIT#')).sort();
    const finalText = await tableText();
    expect(notAudit(finalText)).toEqual(notAudit(afterText));
    const audit = finalText
      .filter((text) => text.includes('"PK":"AUDIT#'))
      .map((text) => JSON.parse(text) as { action: string; memberId?: string; outcome?: string });
    const about = (action: string) =>
      audit.filter((entry) => entry.action === action && entry.memberId === MEMBER).map((e) => e.outcome);
    expect(about("member.export")).toEqual(["ok", "ok"]);
    expect(about("member.erasure").sort()).toEqual(["erased", "replayed"]);
  });

  it("keeps an erased member erased: later profile events are rejected and parked without their PII", async () => {
    const events = memberEventsOn(t, { parkIn: "table" });
    const later = new Date().toISOString();
    const updated = await events.deliver({
      ...enrolment(MEMBER, EMAIL, GIVEN, FAMILY),
      id: "update-after-erasure",
      "detail-type": "Member Updated",
      detail: {
        schemaVersion: "1",
        memberId: MEMBER,
        occurredAt: later,
        email: EMAIL,
        profile: { givenName: GIVEN, familyName: FAMILY },
      },
    });
    expect(updated).toMatchObject({ status: "rejected", reason: "MEMBER_ERASED" });
    const reEnrolled = await events.deliver({
      ...enrolment(MEMBER, EMAIL, GIVEN, FAMILY),
      id: "enrol-again",
    });
    expect(reEnrolled).toMatchObject({ status: "rejected", reason: "MEMBER_ERASED" });
    const text = await tableText();
    for (const needle of [EMAIL, GIVEN, FAMILY]) expect(containing(text, needle)).toEqual([]);
    const parked = text.filter((item) => item.includes("MEMBER_ERASED"));
    expect(parked).toHaveLength(2);
    for (const item of parked) expect(item).toContain(MEMBER);
    // The member's own routes write no profile either: preferences are refused, an unsubscribe click is a no-op.
    const token = await memberToken(MEMBER);
    const preferences = await t.call("PUT", "/me/preferences", {
      token,
      body: {
        consent: { email: true, sms: false, push: false },
        timeZone: "Europe/London",
        quietHours: null,
      },
    });
    expect(preferences.status).toBe(410);
    const exported = await t.call("GET", `/members/${MEMBER}/export`, { token: marketer });
    expect(exported.body.profile).toBeNull();
  });

  it("pages a long ledger 1000 entries at a time, with a cursor only the same member may use", async () => {
    const memberId = "gdpr-long";
    await t.enrol(memberId);
    const start = Date.parse("2025-01-01T00:00:00.000Z");
    const entries = Array.from({ length: 1050 }, (_, n) => ({
      entryId: `interaction:bulk:${n}`,
      memberId,
      kind: "interaction",
      points: 0,
      statusPoints: 0,
      reason: "Visit",
      ruleIds: [],
      programVersion: 1,
      sourceKey: `interaction:bulk:${n}`,
      occurredAt: new Date(start + n * 60_000).toISOString(),
    }));
    for (let i = 0; i < entries.length; i += 25) {
      const puts = entries.slice(i, i + 25).map((entry) => ({
        PutRequest: {
          Item: {
            PK: { S: memberPk(memberId) },
            SK: { S: ledgerSortKey(entry) },
            entry: { M: marshall(entry) },
          },
        },
      }));
      await t.api.table.client.send(
        new BatchWriteItemCommand({ RequestItems: { [t.api.table.tableName]: puts } }),
      );
    }
    const token = await memberToken(memberId);
    const first = await t.call("GET", "/me/export", { token });
    expect(first.status).toBe(200);
    expect(first.body.ledger.entries).toHaveLength(1000);
    expect(first.body.ledger.entries[0].entryId).toBe("interaction:bulk:1049");
    const cursor: string = first.body.ledger.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await t.call("GET", `/me/export?cursor=${encodeURIComponent(cursor)}`, { token });
    expect(second.status).toBe(200);
    expect(second.body.ledger.entries.map((e: { entryId: string }) => e.entryId).at(-1)).toBe(
      "interaction:bulk:0",
    );
    expect(second.body.ledger.entries).toHaveLength(50);
    expect(second.body.ledger.nextCursor).toBeUndefined();
    const stolen = await t.call("GET", `/me/export?cursor=${encodeURIComponent(cursor)}`, {
      token: await memberToken(OTHER),
    });
    expect(stolen.status).toBe(400);
  });
});
