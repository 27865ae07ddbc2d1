import { addDays, addMonthsToMonth, type IsoDay, type IsoMonth, monthOf, utcDay } from "../../domain/time";
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
  email: string;
  balance: number;
  lots: { expiresOn: IsoDay; points: number }[];
  /** Months with anything in them, oldest first (the file's empty months are not kept). */
  qualifying: { month: IsoMonth; statusPoints: number; spendMinor: number }[];
  /** Given in the file; absent: the tier the qualifying months reach. */
  tierId?: string;
  keepsUntil?: IsoDay;
  punchCards: { ruleId: string; punches: number }[];
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

type Field = (typeof IMPORT_FIELDS)[number];

// One way to break each field of the format, each caught by the file check or the program check and reported
// under that field alone. The bad rows take them in turn, so a file with enough bad rows has every kind.
const BREAKS: { field: Field; value: string; with?: Partial<Record<Field, string>> }[] = [
  { field: "member_id", value: "not an id!" },
  { field: "email", value: "not-an-address" },
  { field: "given_name", value: "A".repeat(101) },
  { field: "family_name", value: "L".repeat(101) },
  { field: "locale", value: "not a locale" },
  { field: "time_zone", value: "+01:00" },
  { field: "consent_email", value: "yes" },
  { field: "consent_sms", value: "1" },
  { field: "consent_push", value: "maybe" },
  { field: "consent_at", value: "2024-01-01 10:00" },
  { field: "enrolled_at", value: "2999-01-01T00:00:00Z" },
  { field: "balance", value: "-5" },
  { field: "lots", value: "10@2020-01-01" },
  { field: "qualifying", value: "2024-13:5:5" },
  // An unknown tier still comes with its day, so the tier is the one thing wrong; and the other way round.
  { field: "tier", value: "diamond", with: { tier_keeps_until: "2999-01-01" } },
  { field: "tier_keeps_until", value: "2020-01-01", with: { tier: "gold" } },
  { field: "punch_cards", value: "tea-card:1" },
  { field: "unlocked_rewards", value: "free-pony:1" },
];

/** The fields a generated bad row can break: every field of the format. */
export const BREAKABLE_FIELDS: readonly Field[] = BREAKS.map((b) => b.field);

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
    const punches = i % 3 === 0 ? int(9) : 0;
    const row: Record<Field, string> = {
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
      punch_cards: i % 3 === 0 ? `coffee-card:${punches}` : "",
      unlocked_rewards: i % 5 === 0 ? "free-coffee:1" : "",
    };
    const line = lines.length + 1;
    if (options.badShare && next() < options.badShare) {
      const broken = BREAKS[bad.length % BREAKS.length] as (typeof BREAKS)[number];
      Object.assign(row, broken.with, { [broken.field]: broken.value });
      bad.push({ row: line, field: broken.field });
    } else {
      expected.push({
        memberId,
        email: row.email,
        balance,
        lots: [...lots].sort((a, b) => a.expiresOn.localeCompare(b.expiresOn)),
        qualifying: months
          .filter((m) => m.statusPoints > 0 || m.spendMinor > 0)
          .sort((a, b) => a.month.localeCompare(b.month)),
        ...(tiered && { tierId, keepsUntil }),
        punchCards: punches > 0 ? [{ ruleId: "coffee-card", punches }] : [],
        unlocked: i % 5 === 0 ? [{ rewardId: "free-coffee", count: 1 }] : [],
      });
    }
    lines.push(IMPORT_FIELDS.map((field) => row[field]).join(","));
  }
  return { csv: `${lines.join("\n")}\n`, expected, bad };
}
