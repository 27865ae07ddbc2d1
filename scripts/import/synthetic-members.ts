import { addDays, addMonthsToMonth, type IsoDay, monthOf, utcDay } from "../../domain/time";
import { IMPORT_FIELDS } from "../../functions/migration/import-row-schema";

// A generated migration file (CSV) with the answer it should import to, for the integration test and the
// bench: members with 0-3 expiry lots, up to 12 qualifying months, a tier for some, punch-card progress and an
// unlocked reward for others; a share of rows is broken on purpose, one known field each.

export interface SyntheticImportOptions {
  members: number;
  /** The run's time: lots expire after it, months are at most its month. */
  importedAt: string;
  /** Share of rows broken on purpose, 0-1 (default 0). */
  badShare?: number;
  seed?: number;
  /** Prefix of member ids (default "legacy-"). */
  idPrefix?: string;
}

export interface ExpectedMember {
  memberId: string;
  balance: number;
  lots: { expiresOn: IsoDay; points: number }[];
  tierId?: string;
  keepsUntil?: IsoDay;
  unlocked: { rewardId: string; count: number }[];
}

export interface SyntheticImport {
  csv: string;
  expected: ExpectedMember[];
  /** Line and field of each broken row. */
  bad: { row: number; field: string }[];
}

/** mulberry32: small, seedable, good enough for test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const BREAKS: { field: (typeof IMPORT_FIELDS)[number]; value: string }[] = [
  { field: "email", value: "not-an-address" },
  { field: "balance", value: "-5" },
  { field: "tier", value: "diamond" },
  { field: "consent_at", value: "2024-01-01 10:00" },
  { field: "time_zone", value: "+01:00" },
  { field: "lots", value: "10@2020-01-01" },
];

export function syntheticImport(options: SyntheticImportOptions): SyntheticImport {
  const next = random(options.seed ?? 1);
  const int = (max: number) => Math.floor(next() * max);
  const today = utcDay(options.importedAt);
  const prefix = options.idPrefix ?? "legacy-";
  const lines = [IMPORT_FIELDS.join(",")];
  const expected: ExpectedMember[] = [];
  const bad: SyntheticImport["bad"] = [];
  for (let i = 0; i < options.members; i++) {
    const memberId = `${prefix}${String(i).padStart(6, "0")}`;
    const lots = Array.from({ length: int(4) }, (_, k) => ({
      expiresOn: addDays(today, 30 + k * 200 + int(150)),
      points: 1 + int(2_000),
    }));
    const balance = lots.reduce((sum, l) => sum + l.points, 0);
    const months = Array.from({ length: int(13) }, (_, k) => ({
      month: addMonthsToMonth(monthOf(today), -k),
      statusPoints: int(400),
      spendMinor: int(40_000),
    }));
    const tiered = next() < 0.3;
    const tierId = ["silver", "gold", "platinum"][int(3)] as string;
    const keepsUntil = addDays(today, 1 + int(365));
    const row: Record<(typeof IMPORT_FIELDS)[number], string> = {
      member_id: memberId,
      email: `${memberId}@example.com`,
      given_name: "Ada",
      family_name: i % 7 === 0 ? "" : "Lovelace",
      locale: i % 2 === 0 ? "en-GB" : "de",
      time_zone: i % 2 === 0 ? "Europe/London" : "Europe/Berlin",
      consent_email: String(next() < 0.6),
      consent_sms: "false",
      consent_push: String(next() < 0.3),
      consent_at: "2024-06-01T12:00:00+02:00",
      enrolled_at: "2021-02-03T09:00:00Z",
      balance: String(balance),
      lots: lots.map((l) => `${l.points}@${l.expiresOn}`).join(";"),
      qualifying: months.map((m) => `${m.month}:${m.statusPoints}:${m.spendMinor}`).join(";"),
      tier: tiered ? tierId : "",
      tier_keeps_until: tiered ? keepsUntil : "",
      punch_cards: i % 3 === 0 ? `coffee-card:${int(9)}` : "",
      unlocked_rewards: i % 5 === 0 ? "free-coffee:1" : "",
    };
    const line = lines.length + 1;
    if (options.badShare && next() < options.badShare) {
      const broken = BREAKS[int(BREAKS.length)] as (typeof BREAKS)[number];
      row[broken.field] = broken.value;
      // An unknown tier still comes with its day, so the tier is the one thing wrong.
      if (broken.field === "tier") row.tier_keeps_until = keepsUntil;
      bad.push({ row: line, field: broken.field });
    } else {
      expected.push({
        memberId,
        balance,
        lots: [...lots].sort((a, b) => a.expiresOn.localeCompare(b.expiresOn)),
        ...(tiered && { tierId, keepsUntil }),
        unlocked: i % 5 === 0 ? [{ rewardId: "free-coffee", count: 1 }] : [],
      });
    }
    lines.push(IMPORT_FIELDS.map((field) => row[field]).join(","));
  }
  return { csv: `${lines.join("\n")}\n`, expected, bad };
}
