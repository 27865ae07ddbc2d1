// Erasure's rewrite of what Patron keeps about a member after the profile is gone: every string that names
// the member (their e-mail, given or family name) is replaced by the erasure's pseudonym, and free text the
// member wrote (a survey comment) is dropped whole, since it can name them in ways no term list catches.
// Identifiers that key or link records (entry ids, business keys, order ids) are never rewritten: a refund
// must still find its purchase and every points movement keeps its key.

/** What replaces free text the member wrote. */
export const ERASED_TEXT = "[erased]";

/** Field names whose values are identifiers, not prose: left as they are. */
const IDENTIFIER_FIELDS: ReadonlySet<string> = new Set([
  "PK",
  "SK",
  "GSI1PK",
  "GSI1SK",
  "entryId",
  "ledgerEntryId",
  "originalEntryId",
  "memberId",
  "sourceKey",
  "originalSourceKey",
  "orderId",
  "refundId",
  "interactionId",
  "messageKey",
  "code",
  "id",
  "caseId",
  "payload",
  "ruleId",
  "ruleIds",
  "rewardId",
  "offerId",
  "sku",
  "category",
  "storeId",
  "sesMessageId",
  "eventSha256",
  "writeToken",
]);

/** Field paths (dot-separated, array indexes left out) holding free text the member wrote. */
const MEMBER_TEXT_PATHS: ReadonlySet<string> = new Set([
  "entry.details.survey.comment",
  "details.survey.comment",
]);

export interface PiiTerms {
  /** E-mail addresses: matched anywhere, ignoring case. */
  emails: readonly string[];
  /** Names: matched as whole words, ignoring case (at least 2 characters, so an initial is not hunted). */
  names: readonly string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One pattern matching any of the terms, longest first (a full name before its parts); undefined for none. */
export function piiPattern(terms: PiiTerms): RegExp | undefined {
  const emails = terms.emails.filter((e) => e.length > 0).map((e) => ({ term: e, source: escapeRegExp(e) }));
  const names = terms.names
    .map((n) => n.trim())
    .filter((n) => n.length >= 2)
    .map((n) => ({ term: n, source: `(?<![\\p{L}\\p{N}])${escapeRegExp(n)}(?![\\p{L}\\p{N}])` }));
  // Longest term first, so an address or a full name is replaced whole before a name inside it.
  const all = [...emails, ...names].sort((a, b) => b.term.length - a.term.length);
  return all.length === 0 ? undefined : new RegExp(all.map((t) => t.source).join("|"), "giu");
}

/** The member's names and addresses in a stored profile (e-mail, profile.givenName/familyName, and both together). */
export function piiTermsOfProfile(profile: Readonly<Record<string, unknown>> | undefined): PiiTerms {
  const text = (value: unknown) =>
    typeof value === "string" && value.trim().length > 0 ? value.trim() : undefined;
  const email = text(profile?.email);
  const parts = (profile?.profile ?? {}) as Record<string, unknown>;
  const names = Object.values(parts)
    .map(text)
    .filter((n): n is string => n !== undefined);
  const given = text(parts.givenName);
  const family = text(parts.familyName);
  if (given && family) names.push(`${given} ${family}`);
  return { emails: email ? [email] : [], names };
}

export interface Pseudonymised<T> {
  value: T;
  /** Whether anything was replaced (an unchanged item needs no write). */
  changed: boolean;
}

/** `value` with the member's PII replaced by `pseudonym` and their own free text by ERASED_TEXT. */
export function pseudonymise<T>(
  value: T,
  options: { pattern?: RegExp; pseudonym: string },
): Pseudonymised<T> {
  let changed = false;
  const walk = (node: unknown, path: string, field: string): unknown => {
    if (typeof node === "string") {
      if (MEMBER_TEXT_PATHS.has(path)) {
        changed ||= node !== ERASED_TEXT;
        return ERASED_TEXT;
      }
      if (IDENTIFIER_FIELDS.has(field) || !options.pattern) return node;
      const replaced = node.replace(options.pattern, options.pseudonym);
      changed ||= replaced !== node;
      return replaced;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, path, field));
    if (node !== null && typeof node === "object" && !(node instanceof Uint8Array)) {
      return Object.fromEntries(
        Object.entries(node).map(([key, child]) => [key, walk(child, path ? `${path}.${key}` : key, key)]),
      );
    }
    return node;
  };
  const result = walk(value, "", "") as T;
  return { value: result, changed };
}
