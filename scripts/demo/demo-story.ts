import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";

// The story `npm run demo` tells on a running platform, as producer events dated in the last four weeks —
// inside the seeded program's late-arrival window (30 days), so the platform accepts them as it would a
// till's or a web shop's. Four members of "Maison & Market":
// - Ada buys clothes and shoes: her fourth purchase lifts her to Gold;
// - Ben buys coffee: his coffee card is at 5 of 9, and three visits in 14 days earned the streak bonus;
// - Chloé bought groceries every other day, then stopped three weeks ago: she has lapsed, and the retention
//   job, checking her now, sends the win-back e-mail;
// - Dan's basket has a category the program has no rule for: his ledger says so.

const DAY_MS = 86_400_000;

export interface DemoLine {
  sku: string;
  category: string;
  unitPrice: number;
  quantity?: number;
}

export interface DemoPurchase {
  orderId: string;
  daysAgo: number;
  /** UTC time of day, HH:MM. */
  time: string;
  channel: "pos" | "web";
  lines: DemoLine[];
}

export interface DemoMember {
  memberId: string;
  givenName: string;
  email: string;
  locale: string;
  timeZone: string;
  enrolledDaysAgo: number;
  purchases: DemoPurchase[];
}

export interface DemoStory {
  members: DemoMember[];
  /** The member the retention job finds lapsed and e-mails. */
  lapsingMemberId: string;
  upgradedMemberId: string;
  punchCardMemberId: string;
  unknownCategoryMemberId: string;
}

const coffee = (unitPrice = 420): DemoLine => ({ sku: "COF-FLATWHITE", category: "coffee", unitPrice });
const croissant: DemoLine = { sku: "BAK-CROISSANT", category: "bakery", unitPrice: 250 };
const groceries = (unitPrice: number): DemoLine => ({ sku: "GRO-BASKET", category: "grocery", unitPrice });
const pos = (orderId: string, daysAgo: number, time: string, lines: DemoLine[]): DemoPurchase => ({
  orderId,
  daysAgo,
  time,
  channel: "pos",
  lines,
});

/** The story; `lapsingTimeZone` is where it is daytime now, so quiet hours do not hold Chloé's e-mail. */
export function demoStory(lapsingTimeZone: string): DemoStory {
  const member = (
    memberId: string,
    givenName: string,
    rest: Omit<DemoMember, "memberId" | "givenName" | "email">,
  ) => ({
    memberId,
    givenName,
    email: `${memberId}@demo.patron.local`,
    ...rest,
  });
  return {
    members: [
      member("demo-ada", "Ada", {
        locale: "en-GB",
        timeZone: "Europe/London",
        enrolledDaysAgo: 27,
        purchases: [
          pos("DEMO-ADA-1", 26, "11:20", [{ sku: "APP-WOOLCOAT", category: "apparel", unitPrice: 42_000 }]),
          pos("DEMO-ADA-2", 19, "16:05", [{ sku: "SHO-BOOTS-39", category: "shoes", unitPrice: 26_000 }]),
          {
            orderId: "DEMO-ADA-3",
            daysAgo: 9,
            time: "20:40",
            channel: "web",
            lines: [{ sku: "ACC-CASHMERE", category: "accessories", unitPrice: 18_000 }],
          },
          pos("DEMO-ADA-4", 2, "14:15", [{ sku: "APP-DRESS", category: "apparel", unitPrice: 24_000 }]),
        ],
      }),
      member("demo-ben", "Ben", {
        locale: "en-IE",
        timeZone: "Europe/Dublin",
        enrolledDaysAgo: 21,
        purchases: [
          pos("DEMO-BEN-1", 20, "07:45", [coffee(), croissant]),
          pos("DEMO-BEN-2", 15, "08:10", [coffee()]),
          pos("DEMO-BEN-3", 11, "07:55", [{ sku: "COF-HOUSE-250", category: "coffee", unitPrice: 890 }]),
          pos("DEMO-BEN-4", 6, "08:20", [coffee(), croissant]),
          pos("DEMO-BEN-5", 1, "07:50", [coffee()]),
        ],
      }),
      member("demo-chloe", "Chloé", {
        locale: "en-GB",
        timeZone: lapsingTimeZone,
        enrolledDaysAgo: 28,
        purchases: [
          pos("DEMO-CHLOE-1", 27, "17:30", [groceries(2340), croissant]),
          pos("DEMO-CHLOE-2", 25, "18:05", [groceries(1875)]),
          pos("DEMO-CHLOE-3", 23, "17:50", [groceries(3120), coffee(390)]),
        ],
      }),
      member("demo-dan", "Dan", {
        locale: "en-US",
        timeZone: "America/New_York",
        enrolledDaysAgo: 3,
        purchases: [
          pos("DEMO-DAN-1", 1, "15:30", [
            { sku: "VIN-LP-0042", category: "vinyl-records", unitPrice: 2990 },
            groceries(1250),
          ]),
        ],
      }),
    ],
    lapsingMemberId: "demo-chloe",
    upgradedMemberId: "demo-ada",
    punchCardMemberId: "demo-ben",
    unknownCategoryMemberId: "demo-dan",
  };
}

/** When a purchase happened: `daysAgo` UTC days before `now`'s day, at its time of day — always before `now`. */
export function occurredAt(now: Date, daysAgo: number, time: string): string {
  const day = new Date(now.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);
  return new Date(`${day}T${time}:00.000Z`).toISOString();
}

export function enrolmentEntry(member: DemoMember, now: Date): PutEventsRequestEntry {
  return {
    Source: "retail.web.shop",
    DetailType: "Member Enrolled",
    Detail: JSON.stringify({
      schemaVersion: "1",
      memberId: member.memberId,
      occurredAt: occurredAt(now, member.enrolledDaysAgo, "10:00"),
      email: member.email,
      locale: member.locale,
      timeZone: member.timeZone,
      consent: { email: true, sms: false, push: false },
      profile: { givenName: member.givenName },
      channel: "web",
      storeId: "web-shop",
    }),
  };
}

export function purchaseSource(purchase: DemoPurchase): string {
  return purchase.channel === "pos" ? "retail.pos.store-012" : "retail.web.shop";
}

export function purchaseEntry(member: DemoMember, purchase: DemoPurchase, now: Date): PutEventsRequestEntry {
  const lines = purchase.lines.map((line) => ({
    sku: line.sku,
    category: line.category,
    quantity: line.quantity ?? 1,
    unitPrice: line.unitPrice,
  }));
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return {
    Source: purchaseSource(purchase),
    DetailType: "Purchase Completed",
    Detail: JSON.stringify({
      schemaVersion: "1",
      orderId: purchase.orderId,
      memberId: member.memberId,
      channel: purchase.channel,
      storeId: purchase.channel === "pos" ? "store-012" : "web-shop",
      occurredAt: occurredAt(now, purchase.daysAgo, purchase.time),
      currency: "EUR",
      lines,
      discountTotal: 0,
      total,
    }),
  };
}

/** Zones spread round the clock; the demo takes the first where it is 09:00–19:59 now. */
const ZONES = [
  "Europe/Paris",
  "America/New_York",
  "America/Los_Angeles",
  "Pacific/Honolulu",
  "Asia/Tokyo",
  "Asia/Kolkata",
  "Asia/Dubai",
  "America/Sao_Paulo",
];

/** A time zone where `now` is daytime (09:00–19:59), well clear of the seeded program's quiet hours. */
export function daytimeZone(now: Date): string {
  const hourIn = (timeZone: string) =>
    Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(now));
  return ZONES.find((zone) => hourIn(zone) >= 9 && hourIn(zone) < 20) ?? "Europe/Paris";
}
