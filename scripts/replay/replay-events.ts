import { createHash } from "node:crypto";
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { MemberEnrolled } from "../../events/inbound/member-enrolled";
import type { PurchaseCompleted } from "../../events/inbound/purchase-completed";
import type { PurchaseRow } from "./purchase-log";

// Turns purchase-log rows into the events a POS or web shop would send: Member Enrolled when a customer
// first appears, then one Purchase Completed per row. Everything derived is deterministic (hashes of the
// row), so replaying the same log twice sends the same events and the second run is all duplicates.
// Synthetic referrals: a share of new members enrol with the referral code of a member who appeared earlier
// (chosen by hash); the runner fills in that member's code (run-replay.ts), which only the platform can make.

export interface ReplayEvent {
  /** When the event occurred on the platform's timeline. */
  at: Date;
  entry: PutEventsRequestEntry;
  /** A Member Enrolled that carries this member's referral code, filled in when it is sent. */
  referrerId?: string;
}

export interface TimelineOptions {
  /** The log's last day lands on this UTC day (YYYY-MM-DD); every row moves by the same number of days. */
  endDay: string;
  currency?: string;
  /** Share of members who consent to marketing e-mail (default 0.7). */
  emailConsentShare?: number;
  /** Share of new members who enrol with an earlier member's referral code (default 0). */
  referralShare?: number;
}

const DAY_MS = 86_400_000;
const POS_STORES = 12;
/** Share of a synthetic log's new members who join with an earlier member's referral code. */
export const DEFAULT_REFERRAL_RATE = 0.1;

/** A stable number in [0, 1) from text. */
function unit(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) / 4_294_967_296;
}

/** Customer ids may hold any characters; member ids are A-Z a-z 0-9 _ - up to 64. */
export function memberIdFor(customerId: string): string {
  const safe = customerId.replace(/[^A-Za-z0-9_-]/g, "_");
  const id = `c-${safe}`;
  return id.length <= 64 && safe === customerId
    ? id
    : `c-${safe.slice(0, 40)}-${createHash("sha256").update(customerId).digest("hex").slice(0, 12)}`;
}

function orderIdFor(row: PurchaseRow, nthThatDay: number): string {
  if (row.orderId !== undefined && /^[A-Za-z0-9_-]{1,128}$/.test(row.orderId)) return row.orderId;
  const basis = row.orderId ?? `${row.customerId}|${row.day}|${nthThatDay}`;
  return `r-${createHash("sha256").update(basis).digest("hex").slice(0, 24)}`;
}

const categoryOf = (row: PurchaseRow): string =>
  row.category !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(row.category) ? row.category : "general";

/** Builds the events of a sorted log, in time order. */
export function replayEvents(rows: readonly PurchaseRow[], options: TimelineOptions): ReplayEvent[] {
  const last = rows.at(-1);
  if (!last) return [];
  const shiftMs = Date.parse(`${options.endDay}T00:00:00Z`) - Date.parse(`${last.day}T00:00:00Z`);
  if (Number.isNaN(shiftMs)) throw new Error(`endDay must be YYYY-MM-DD, got "${options.endDay}"`);
  const currency = options.currency ?? "EUR";
  const consentShare = options.emailConsentShare ?? 0.7;
  const referralShare = options.referralShare ?? 0;
  const seen = new Set<string>();
  const earlier: string[] = [];
  const perDay = new Map<string, number>();
  const events: ReplayEvent[] = [];
  for (const row of rows) {
    const memberId = memberIdFor(row.customerId);
    const dayKey = `${row.customerId}|${row.day}`;
    const nth = (perDay.get(dayKey) ?? 0) + 1;
    perDay.set(dayKey, nth);
    const orderId = orderIdFor(row, nth);
    // Shops open 09:00-20:00 UTC; the time of day is a stable function of the order.
    const at = new Date(
      Date.parse(`${row.day}T09:00:00Z`) + shiftMs + Math.floor(unit(orderId) * 11 * 3_600_000),
    );
    const online = unit(`channel|${orderId}`) < 0.3;
    if (!seen.has(memberId)) {
      seen.add(memberId);
      const referred = earlier.length > 0 && unit(`referral|${memberId}`) < referralShare;
      const referrerId = referred
        ? earlier[Math.floor(unit(`referrer|${memberId}`) * earlier.length)]
        : undefined;
      earlier.push(memberId);
      const enrolled: MemberEnrolled = {
        schemaVersion: "1",
        memberId,
        occurredAt: new Date(at.getTime() - 60_000).toISOString(),
        email: `member-${memberId}@example.test`,
        locale: "en-IE",
        timeZone: "Europe/Dublin",
        consent: { email: unit(`consent|${memberId}`) < consentShare, sms: false, push: false },
        channel: online ? "web" : "pos",
      };
      events.push({
        at: new Date(at.getTime() - 60_000),
        entry: {
          Source: online ? "retail.web.shop" : "retail.pos.enrolment",
          DetailType: "Member Enrolled",
          Detail: JSON.stringify(enrolled),
        },
        ...(referrerId !== undefined && { referrerId }),
      });
    }
    const store = online
      ? "web-shop"
      : `store-${String(1 + Math.floor(unit(`store|${memberId}`) * POS_STORES)).padStart(3, "0")}`;
    const category = categoryOf(row);
    const purchase: PurchaseCompleted = {
      schemaVersion: "1",
      orderId,
      memberId,
      channel: online ? "web" : "pos",
      storeId: store,
      occurredAt: at.toISOString(),
      currency,
      lines: [{ sku: `replay-${category}`, category, quantity: 1, unitPrice: row.amountMinor }],
      discountTotal: 0,
      total: row.amountMinor,
    };
    events.push({
      at,
      entry: {
        Source: online ? "retail.web.shop" : `retail.pos.${store}`,
        DetailType: "Purchase Completed",
        Detail: JSON.stringify(purchase),
      },
    });
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The UTC day before `now`: the log ends yesterday, so no event lies in the platform's future. */
export function yesterday(now: Date): string {
  return new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
}
