import * as z from "zod";
import type { MigratedMember } from "../../domain/migration/migrate-member";
import { memberProfileSchema } from "../../events/inbound/member-enrolled";
import {
  emailSchema,
  localeSchema,
  memberIdSchema,
  occurredAtSchema,
  timeZoneSchema,
} from "../../events/primitives";

/**
 * Lots one member may bring. Patron keeps a lot per expiry day (and issuer) on the STATE item, so a member who
 * shops daily holds one per day of the validity (up to 120 months); 1,000 lots — nearly three years of daily
 * purchases — take ~7 KB of compressed STATE (test/unit/migration/import-lots.test.ts), far below the 400 KB
 * item limit. A member arrives in one transaction with its first 97 lot entries; more lots are written in later
 * parts (import-parts.ts), ~96 a transaction, so the bound also keeps one member's import to 11 transactions.
 */
export const MAX_IMPORT_LOTS = 1000;

// One member of a migration import file (README "Operating Patron"). CSV and JSON Lines carry the same
// snake_case fields: a CSV cell is text, so lists are written "a;b;c" and parsed here, while a JSON line may give
// numbers, booleans and lists as JSON (or the same text). Messages never quote the value: a misplaced column
// may hold an e-mail address.

export const IMPORT_FIELDS = [
  "member_id",
  "email",
  "given_name",
  "family_name",
  "locale",
  "time_zone",
  "consent_email",
  "consent_sms",
  "consent_push",
  "consent_at",
  "enrolled_at",
  "balance",
  "lots",
  "qualifying",
  "tier",
  "tier_keeps_until",
  "punch_cards",
  "unlocked_rewards",
] as const;

const LIST_SEPARATOR = ";";
const WHOLE = /^-?\d+$/;

/** "" and whitespace mean absent (an empty CSV cell). */
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const textToNumber = (value: unknown) => {
  const v = blankToUndefined(value);
  return typeof v === "string" && WHOLE.test(v.trim()) ? Number(v) : v;
};
const textToBoolean = (value: unknown) => {
  const v = blankToUndefined(value);
  if (typeof v !== "string") return v;
  const lower = v.trim().toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : v;
};
/** "a:b:c;d:e:f" → objects with the named parts (numbers where whole); JSON arrays pass through. */
const textToList =
  (parts: readonly string[], separator = ":") =>
  (value: unknown) => {
    const v = blankToUndefined(value);
    if (typeof v !== "string") return v;
    return v.split(LIST_SEPARATOR).map((item) => {
      const values = item.trim().split(separator);
      return Object.fromEntries(parts.map((name, i) => [name, textToNumber(values[i])]));
    });
  };

/**
 * `schema`'s verdict on a text, remembered: a file holds a handful of distinct locales and time zones, and
 * checking one against the runtime's Intl data costs far more than the rest of the row.
 */
function memoized(schema: z.ZodType<string>) {
  const verdicts = new Map<string, string[]>();
  return z.string().check((ctx) => {
    let messages = verdicts.get(ctx.value);
    if (messages === undefined) {
      const result = schema.safeParse(ctx.value);
      messages = result.success ? [] : result.error.issues.map((issue) => issue.message);
      if (verdicts.size < 10_000) verdicts.set(ctx.value, messages);
    }
    for (const message of messages) ctx.issues.push({ code: "custom", message, input: ctx.value });
  });
}

const day = z.iso.date({ error: "must be a day YYYY-MM-DD" });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");
const wholePoints = z.int({ error: "must be a whole number" }).nonnegative({ error: "must not be negative" });
const bool = z.preprocess(textToBoolean, z.boolean({ error: "must be true or false" }));
const optionalText = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const importRowSchema = z
  .object({
    member_id: memberIdSchema,
    email: emailSchema,
    given_name: optionalText(memberProfileSchema.shape.givenName.unwrap()),
    family_name: optionalText(memberProfileSchema.shape.familyName.unwrap()),
    locale: memoized(localeSchema),
    time_zone: memoized(timeZoneSchema),
    consent_email: bool,
    consent_sms: bool,
    consent_push: bool,
    consent_at: occurredAtSchema,
    enrolled_at: optionalText(occurredAtSchema),
    balance: z.preprocess(textToNumber, wholePoints),
    lots: z.preprocess(
      textToList(["points", "expires_on"], "@"),
      z
        .array(z.object({ points: wholePoints.positive({ error: "must be at least 1" }), expires_on: day }))
        .max(MAX_IMPORT_LOTS, `at most ${MAX_IMPORT_LOTS} lots`)
        .optional(),
    ),
    qualifying: z.preprocess(
      textToList(["month", "status_points", "spend_minor"]),
      z
        .array(z.object({ month, status_points: wholePoints, spend_minor: wholePoints }))
        .max(36, "at most 36 months")
        .optional(),
    ),
    tier: optionalText(z.string().regex(/^[a-z0-9-]{1,64}$/, "must be a tier id of the program")),
    tier_keeps_until: optionalText(day),
    punch_cards: z.preprocess(
      textToList(["rule_id", "punches"]),
      z
        .array(z.object({ rule_id: z.string().min(1).max(64), punches: wholePoints }))
        .max(20)
        .optional(),
    ),
    unlocked_rewards: z.preprocess(
      textToList(["reward_id", "count"]),
      z
        .array(z.object({ reward_id: z.string().min(1).max(64), count: wholePoints.max(100) }))
        .max(50)
        .optional(),
    ),
  })
  .refine((row) => (row.tier === undefined) === (row.tier_keeps_until === undefined), {
    path: ["tier_keeps_until"],
    error: "tier and tier_keeps_until go together",
    // Checked even when other fields failed, so one pass reports everything wrong with the row.
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  });

export type ImportRow = z.infer<typeof importRowSchema>;

export interface RowProblem {
  /** 1-based data row (CSV: the header is row 0; JSON Lines: the line number). */
  row: number;
  field: string;
  reason: string;
}

/** Unknown fields a row's problems name; more are one problem of the row (a file's columns are not bounded). */
export const MAX_UNKNOWN_FIELDS = 5;
/** Longest field name a problem repeats; a longer unknown one is cut (and marked "…"). */
export const MAX_FIELD_NAME = 64;
export const NOT_A_FIELD = "not a field of the format";
export const MORE_UNKNOWN_FIELDS = `more than ${MAX_UNKNOWN_FIELDS} fields not of the format`;

const fieldName = (name: string) =>
  name.length > MAX_FIELD_NAME ? `${name.slice(0, MAX_FIELD_NAME - 1)}…` : name;

/**
 * The row's problems by field, or the row; unknown fields are problems too (a misspelt column). Each (field,
 * reason) once: a list with many bad items says so once, so a row's problems stay few whatever its size.
 */
export function parseImportRow(
  record: Record<string, unknown>,
  row: number,
): { ok: true; row: ImportRow } | { ok: false; problems: RowProblem[] } {
  const unknown = Object.keys(record).filter((key) => !(IMPORT_FIELDS as readonly string[]).includes(key));
  const parsed = importRowSchema.safeParse(record);
  const found = new Map<string, RowProblem>();
  const add = (field: string, reason: string) => {
    const key = `${field}\u0000${reason}`;
    if (!found.has(key)) found.set(key, { row, field, reason });
  };
  for (const field of unknown.slice(0, MAX_UNKNOWN_FIELDS)) add(fieldName(field), NOT_A_FIELD);
  if (unknown.length > MAX_UNKNOWN_FIELDS) add("row", MORE_UNKNOWN_FIELDS);
  if (!parsed.success)
    for (const issue of parsed.error.issues) add(String(issue.path[0] ?? "row"), issue.message);
  if (found.size > 0 || !parsed.success) return { ok: false, problems: [...found.values()] };
  return { ok: true, row: parsed.data };
}

/** The domain's view of a row (camelCase, no PII). */
export function migratedMember(row: ImportRow): MigratedMember {
  return {
    memberId: row.member_id,
    ...(row.enrolled_at !== undefined && { enrolledAt: row.enrolled_at }),
    balance: row.balance,
    ...(row.lots && { lots: row.lots.map((l) => ({ points: l.points, expiresOn: l.expires_on })) }),
    ...(row.qualifying && {
      qualifying: row.qualifying.map((q) => ({
        month: q.month,
        statusPoints: q.status_points,
        spendMinor: q.spend_minor,
      })),
    }),
    ...(row.tier !== undefined &&
      row.tier_keeps_until !== undefined && { tier: { tierId: row.tier, keepsUntil: row.tier_keeps_until } }),
    ...(row.punch_cards && {
      punchCards: row.punch_cards.map((c) => ({ ruleId: c.rule_id, punches: c.punches })),
    }),
    ...(row.unlocked_rewards && {
      unlockedRewards: row.unlocked_rewards.map((r) => ({ rewardId: r.reward_id, count: r.count })),
    }),
  };
}

/** The PROFILE change of a row: consent dated when it was given, the rest when the member enrolled. */
export function profileChanges(row: ImportRow) {
  const consent = { email: row.consent_email, sms: row.consent_sms, push: row.consent_push };
  const names = {
    ...(row.given_name !== undefined && { givenName: row.given_name }),
    ...(row.family_name !== undefined && { familyName: row.family_name }),
  };
  return [
    {
      fields: {
        email: row.email,
        locale: row.locale,
        timeZone: row.time_zone,
        ...(Object.keys(names).length > 0 && { profile: names }),
      },
      changedAt: row.enrolled_at ?? row.consent_at,
    },
    { fields: { consent }, changedAt: row.consent_at },
  ];
}
