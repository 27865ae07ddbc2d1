import * as z from "zod";
import { currencyCodes } from "./currencies";

/** Opaque ids (member, order, sku, ledger entry...): safe in DynamoDB keys, URLs and logs. */
export const idSchema = (what: string, max = 64) =>
  z
    .string()
    .regex(
      new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`),
      `${what} must be 1-${max} characters of A-Z, a-z, 0-9, "_" or "-"`,
    );

export const memberIdSchema = idSchema("member id");

/**
 * Ledger entry ids derive from business keys, which hold the producer source and separators, e.g.
 * "earn:purchase:retail.pos.store-042:O-1001" or "reverse:<purchase key>:refund:R-7".
 */
export const ledgerEntryIdSchema = (what: string) =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9_.:-]{1,640}$/,
      `${what} must be 1-640 characters of A-Z, a-z, 0-9, "_", "-", "." or ":"`,
    );

export const schemaVersion = <V extends string>(version: V) =>
  z.literal(version, { error: `schemaVersion must be "${version}" for this schema` });

/** Wall-clock instant with its UTC offset; a naive "2024-05-01T10:00:00" is ambiguous across time zones. */
export const occurredAtSchema = z.iso.datetime({
  offset: true,
  error: "must be an ISO 8601 date-time with a UTC offset, e.g. 2024-05-01T10:00:00+02:00 or ...Z",
});

export const currencySchema = z
  .enum(currencyCodes as [string, ...string[]], {
    // Never the value received: messages reach logs, and a wrong field may hold an e-mail address.
    error: "unknown currency; expected an ISO 4217 code such as EUR",
  })
  .describe("ISO 4217 currency code");

/** Money in integer minor units of the event's currency (cents for EUR, yen for JPY). */
export const minorUnitsSchema = z
  .int({ error: "must be a whole number of minor units (e.g. cents)" })
  .nonnegative({
    error: "must not be negative (amounts are minor units >= 0)",
  });

export const quantitySchema = z
  .int({ error: "must be a whole number of units" })
  .positive({ error: "must be a positive whole number (at least 1)" });

export const pointsSchema = z.int({ error: "points must be a whole number" });

export const emailSchema = z.email({ error: "must be a valid e-mail address" }).max(254);

/**
 * JSON Schema extension keyword naming a check of the field that no standard keyword states (the runtime's
 * time zone database, a real calendar date): the API document lists it in each operation's `x-patron-rules`.
 */
export const FIELD_CHECK = "x-patron-check";

/**
 * The runtime's verdict on a name, kept: asking Intl builds a formatter or canonicalises a tag (for a time zone the
 * largest item of an enrolment's validation in the replay's profile), and the same few names recur in every event.
 * Bounded: cleared when full.
 */
function remembered(check: (name: string) => boolean): (name: string) => boolean {
  const verdicts = new Map<string, boolean>();
  return (name) => {
    const known = verdicts.get(name);
    if (known !== undefined) return known;
    const verdict = check(name);
    if (verdicts.size >= 1024) verdicts.clear();
    verdicts.set(name, verdict);
    return verdict;
  };
}

export const localeSchema = z
  .string()
  .max(35)
  .refine(
    remembered((tag) => {
      try {
        return Intl.getCanonicalLocales(tag).length === 1;
      } catch {
        return false;
      }
    }),
    { error: "must be a BCP 47 language tag, e.g. en-GB or de" },
  )
  .meta({ description: "BCP 47 language tag", [FIELD_CHECK]: "must be a BCP 47 language tag" });

const TIME_ZONE_ERROR = "must be an IANA time zone, e.g. Europe/Berlin";

/**
 * IANA names only ("Europe/Berlin", "UTC"); bare offsets like "+01:00" ignore daylight saving. The name's
 * shape is a pattern, so JSON Schemas state it; that the runtime's time zone database knows it cannot be
 * ("Mars/Olympus" matches the pattern): FIELD_CHECK says so, and the API document's rules repeat it.
 */
export const timeZoneSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, { error: TIME_ZONE_ERROR, abort: true })
  .refine(
    remembered((zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }),
    { error: TIME_ZONE_ERROR },
  )
  .meta({
    description: "IANA time zone name, known to the time zone database",
    [FIELD_CHECK]: "must be an IANA time zone the runtime's time zone database knows",
    examples: ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"],
  });

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Full date "1990-04-17", or month-day "--04-17" when the member withholds the year (ISO 8601). */
export const birthdaySchema = z
  .string()
  .regex(/^(?:\d{4}|-)-\d{2}-\d{2}$/, "must be YYYY-MM-DD or --MM-DD (year withheld)")
  .refine(
    (value) => {
      const match = /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/.exec(value);
      if (!match) return false;
      const year = match[1] === undefined ? undefined : Number(match[1]);
      const month = Number(match[2]);
      const day = Number(match[3]);
      if (year !== undefined && year < 1900) return false;
      if (month < 1 || month > 12 || day < 1) return false;
      const max = month === 2 && year !== undefined && !isLeap(year) ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
      return day <= max;
    },
    { error: "must be a real date as YYYY-MM-DD or --MM-DD (year withheld)" },
  )
  .meta({
    description: "YYYY-MM-DD, or --MM-DD when the year is withheld",
    [FIELD_CHECK]: "must be a real calendar date from 1900",
  });

export const consentSchema = z
  .object({ email: z.boolean(), sms: z.boolean(), push: z.boolean() })
  .strict()
  .describe("Marketing consent per channel; transactional messages do not need it");

export const channelSchema = z.enum(["pos", "web", "app"]);

export const reasonSchema = z.string().min(1).max(500);
// Program rule ids are slugs of up to 64 characters; entries also cite ids derived from a 64-character
// tier or reward id (`tier-<id>`, `reward-<id>`), hence 72.
export const ruleIdsSchema = z.array(idSchema("rule id", 72)).max(50);
export const programVersionSchema = z
  .string()
  .min(1)
  .max(64)
  .describe("Version of the loyalty program applied");
