// What retention reads from a member's PROFILE item (written by member-enrolled/-updated, the preferences and
// unsubscribe routes, and ses-feedback). Anything missing means "no": no consent, no address.

export interface ProfileView {
  email?: string;
  emailConsent: boolean;
  locale?: string;
  timeZone?: string;
  firstName?: string;
  /** Marked undeliverable by hand or because SES has it on the account suppression list. */
  suppressed: boolean;
  /** A permanent bounce was reported for the member's address. */
  bounced: boolean;
  complained: boolean;
}

/** Profile fields ses-feedback sets. */
export const SUPPRESSION_FIELDS = {
  suppressed: "emailSuppressed",
  bounced: "emailBounced",
  complained: "emailComplained",
} as const;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

export function profileView(profile: Record<string, unknown> | undefined): ProfileView {
  const consent = (profile?.consent ?? {}) as { email?: unknown };
  const names = (profile?.profile ?? {}) as { givenName?: unknown };
  const email = text(profile?.email);
  const locale = text(profile?.locale);
  const timeZone = text(profile?.timeZone);
  const firstName = text(names.givenName);
  return {
    ...(email && { email }),
    emailConsent: consent.email === true,
    ...(locale && { locale }),
    ...(timeZone && { timeZone }),
    ...(firstName && { firstName }),
    suppressed: profile?.[SUPPRESSION_FIELDS.suppressed] === true,
    bounced: profile?.[SUPPRESSION_FIELDS.bounced] === true,
    complained: profile?.[SUPPRESSION_FIELDS.complained] === true,
  };
}
