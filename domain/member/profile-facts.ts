import { copyData } from "../plain-data";
// A member's profile as timestamped facts. Each field — and each consent channel and name part on its own —
// remembers when it last changed, and a change applies only where it is newer. So writers that race, arrive
// out of order or are redelivered converge on the newest value of every field, and an unsubscribe, recorded
// at the time it was asked for, is never undone by a consent change dated before it. Whoever writes a
// profile supplies the time of the change: an event's occurredAt, or the server clock for a member's request.
import { toIsoInstant } from "../time";

/** Where a stored profile keeps the time of each field's last change, keyed by field path. */
export const CHANGED_AT_FIELD = "fieldsChangedAt";

/**
 * Fields whose keys are separate facts ("consent.email", "profile.givenName"): a newer SMS choice must not
 * block an older but still newest e-mail choice, and a changed given name keeps the family name.
 */
const KEYED_FIELDS: ReadonlySet<string> = new Set(["consent", "profile"]);

export type StoredProfile = Record<string, unknown>;

export interface ProfileChange {
  /** Field → new value; undefined values are left out. A keyed field may carry only the keys that changed. */
  fields: Readonly<Record<string, unknown>>;
  /** When the change happened (ISO 8601). */
  changedAt: string;
}

export interface ProfileMerge {
  profile: StoredProfile;
  /** Field paths this change set ("email", "consent.sms"); empty when each already had a change as new. */
  applied: string[];
}

export type ConsentChannel = "email" | "sms" | "push";

/** A one-click unsubscribe: consent for `channel` withdrawn at `at`, the time the member asked. */
export function consentWithdrawal(channel: ConsentChannel, at: string): ProfileChange {
  return { fields: { consent: { [channel]: false } }, changedAt: at };
}

/** A re-subscribe from the unsubscribe confirmation: consent for `channel` given again at `at`. */
export function consentGrant(channel: ConsentChannel, at: string): ProfileChange {
  return { fields: { consent: { [channel]: true } }, changedAt: at };
}

interface Fact {
  path: string;
  field: string;
  key?: string;
  value: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function factsOf(fields: ProfileChange["fields"]): Fact[] {
  const facts: Fact[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (!KEYED_FIELDS.has(field) || !isRecord(value)) {
      facts.push({ path: field, field, value });
      continue;
    }
    for (const [key, keyed] of Object.entries(value)) {
      if (keyed !== undefined) facts.push({ path: `${field}.${key}`, field, key, value: keyed });
    }
  }
  return facts;
}

function storedValue(profile: StoredProfile, fact: Fact): unknown {
  const value = profile[fact.field];
  return fact.key === undefined ? value : isRecord(value) ? value[fact.key] : undefined;
}

/**
 * Newer wins. A key without a time of its own falls back on its field's (profiles stored before keys were
 * stamped one by one). On the same instant a withdrawal of consent wins over a grant, so a tie can never
 * turn marketing on; any other tie keeps what is stored, so a redelivered change writes nothing.
 */
function applies(fact: Fact, at: number, profile: StoredProfile, stamps: Record<string, string>): boolean {
  const stamp = stamps[fact.path] ?? (fact.key === undefined ? undefined : stamps[fact.field]);
  const storedAt = stamp === undefined ? Number.NaN : Date.parse(stamp);
  if (Number.isNaN(storedAt) || storedAt < at) return true;
  return (
    storedAt === at &&
    fact.field === "consent" &&
    fact.value === false &&
    storedValue(profile, fact) !== false
  );
}

/** The stored profile with every fact of `change` that is newer than the stored one; `stored` is not changed. */
export function mergeProfileFacts(stored: StoredProfile | undefined, change: ProfileChange): ProfileMerge {
  const changedAt = toIsoInstant(change.changedAt);
  const at = Date.parse(changedAt);
  const profile: StoredProfile = { ...stored };
  const stamps = { ...(isRecord(profile[CHANGED_AT_FIELD]) ? profile[CHANGED_AT_FIELD] : {}) } as Record<
    string,
    string
  >;
  const applied: string[] = [];
  for (const fact of factsOf(change.fields)) {
    if (fact.field === CHANGED_AT_FIELD || !applies(fact, at, profile, stamps)) continue;
    if (fact.key === undefined) profile[fact.field] = fact.value;
    else {
      const current = profile[fact.field];
      profile[fact.field] = { ...(isRecord(current) ? current : {}), [fact.key]: fact.value };
    }
    stamps[fact.path] = changedAt;
    applied.push(fact.path);
  }
  profile[CHANGED_AT_FIELD] = stamps;
  return { profile, applied };
}

const stampOf = (profile: StoredProfile, fact: Fact): string | undefined => {
  const stamps = isRecord(profile[CHANGED_AT_FIELD])
    ? (profile[CHANGED_AT_FIELD] as Record<string, string>)
    : {};
  return stamps[fact.path] ?? (fact.key === undefined ? undefined : stamps[fact.field]);
};

/**
 * The profile of a survivor after a duplicate is merged into it (merge-members.ts). The survivor's facts stay;
 * what only the duplicate knew is added with its time. Every consent the duplicate withdrew stays withdrawn,
 * stamped with the later of the two times, so no message older than either answer turns marketing on.
 */
export function mergeDuplicateProfile(
  survivor: StoredProfile | undefined,
  absorbed: StoredProfile | undefined,
): StoredProfile {
  const profile: StoredProfile = copyData(survivor ?? {});
  const stamps = (isRecord(profile[CHANGED_AT_FIELD]) ? profile[CHANGED_AT_FIELD] : {}) as Record<
    string,
    string
  >;
  const fields = Object.fromEntries(
    Object.entries(absorbed ?? {}).filter(([field]) => field !== CHANGED_AT_FIELD),
  );
  for (const fact of factsOf(fields)) {
    const theirs = stampOf(absorbed ?? {}, fact);
    const mine = storedValue(profile, fact);
    const consent = fact.field === "consent";
    // Withdrawn on either side: withdrawn, as of the later answer (an older message of either cannot undo it).
    const withdrawn = consent && (fact.value === false || mine === false);
    if (mine !== undefined && !withdrawn) continue;
    if (withdrawn) fact.value = false;
    if (fact.key === undefined) profile[fact.field] = fact.value;
    else {
      const current = profile[fact.field];
      profile[fact.field] = { ...(isRecord(current) ? current : {}), [fact.key]: fact.value };
    }
    const later = [theirs, stamps[fact.path]]
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1);
    if (later !== undefined) stamps[fact.path] = later;
  }
  profile[CHANGED_AT_FIELD] = stamps;
  return profile;
}
