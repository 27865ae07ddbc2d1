import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../../domain";
import { shardOf } from "../../../domain/retention/due-buckets";
import { enrolment, purchase } from "../pipeline/events";
import { marketerToken, startTestApi, type TestApi } from "./http-fixture";
import { type MemberEvents, memberEventsOn } from "./member-events";

// A merge settles both members first, so a partner's lot past its expiry day expires in the merge's own
// transaction: the partner's statement must count that expiry (and the partner points the merge moves) exactly
// as the ledger records them, whether or not the two members' counters share a shard item.

const DAY = 86_400_000;
const started = Date.now();
const iso = (at: number) => new Date(at).toISOString();
const till = "retail.partner.cafe-lumen.till-1";
const latte = { sku: "LUMEN-LATTE", category: "coffee", quantity: 1, unitPrice: 2000 };
/** Two years (the example program's validity) and two days after the older purchases: they have expired. */
const mergeAt = (() => {
  const d = new Date(started - 10 * DAY);
  d.setUTCFullYear(d.getUTCFullYear() + 2);
  return d.getTime() + 2 * DAY;
})();

let now = started;
let t: TestApi;
let events: MemberEvents;
beforeAll(async () => {
  t = await startTestApi({ clock: () => new Date(now) });
  events = memberEventsOn(t);
});
afterAll(async () => {
  await t.stop();
});

async function ledgerOf(memberId: string): Promise<LedgerEntry[]> {
  const page = await t.api.deps.members.queryLedger<LedgerEntry>(memberId, { limit: 100 });
  expect(page.cursor).toBeUndefined();
  return page.records.map((record) => record.entry);
}

/** The statement's point figures for cafe-lumen, summed straight from the entries. */
function ledgerSum(entries: readonly LedgerEntry[], month: string) {
  const sum = { issued: 0, redeemed: 0, expired: 0, reversed: 0 };
  for (const entry of entries.filter((e) => e.occurredAt.slice(0, 7) === month)) {
    const share = (entry.partners ?? []).find((s) => s.partnerId === "cafe-lumen")?.points ?? 0;
    if (entry.kind === "earn") sum.issued += share;
    else if (entry.kind === "redeem") sum.redeemed -= share;
    else if (entry.kind === "expire") sum.expired -= share;
    else sum.reversed -= share;
  }
  return sum;
}

async function deliver(event: unknown) {
  expect((await events.deliver(event)).status).toBe("committed");
}

/** Two partner lots each, the older one past its expiry day at the merge; the duplicate's newer lot moves. */
async function mergePair(keep: string, dup: string) {
  now = started;
  for (const memberId of [keep, dup]) {
    await deliver(enrolment(memberId, iso(started - 20 * DAY)));
    await deliver({
      ...purchase(memberId, `${memberId}-old`, iso(started - 10 * DAY), [latte]),
      source: till,
    });
  }
  await deliver({ ...purchase(dup, `${dup}-new`, iso(started - 60_000), [latte]), source: till });
  now = mergeAt;
  const merged = await t.call("POST", `/members/${keep}/merge`, {
    token: await marketerToken("ada"),
    body: { absorbedId: dup, reason: "Same customer, two cards" },
  });
  expect(merged.status).toBe(200);
}

describe("merging members who hold a partner's points", () => {
  it("keeps the partner's statement equal to the sum over the ledgers, month by month", async () => {
    // Both counter layouts: the two members' counters on one shard item (a) and on two (b).
    expect(shardOf("keep-a", 16)).toBe(shardOf("dup-a", 16));
    expect(shardOf("keep-b", 16)).not.toBe(shardOf("dup-b", 16));
    await mergePair("keep-a", "dup-a");
    await mergePair("keep-b", "dup-b");

    const members = ["keep-a", "dup-a", "keep-b", "dup-b"];
    const entries = (await Promise.all(members.map(ledgerOf))).flat();
    // Each member's older lot expired as the merge settled it; each merge moved partner points.
    const expired = entries.filter((e) => e.kind === "expire" && e.partners !== undefined);
    expect(expired.map((e) => e.memberId).sort()).toEqual([...members].sort());
    expect(entries.filter((e) => e.kind === "merge" && e.partners !== undefined)).toHaveLength(4);
    const months = [...new Set(entries.map((e) => e.occurredAt.slice(0, 7)))].sort();
    expect(months).toContain(iso(mergeAt).slice(0, 7));
    for (const month of months) {
      const res = await t.call("GET", `/partners/cafe-lumen/statement?month=${month}`, {
        token: await marketerToken("ada"),
      });
      expect(res.status).toBe(200);
      const { issued, redeemed, expired: gone, reversed } = res.body.points;
      expect({ month, issued, redeemed, expired: gone, reversed }).toEqual({
        month,
        ...ledgerSum(entries, month),
      });
    }
  });
});
