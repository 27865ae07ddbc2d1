// What retention reads from a member's PROFILE item (written by member-enrolled/-updated, the preferences and
// unsubscribe routes, and ses-feedback). Anything missing means "no": no consent, no address, no quiet hours.
import type { QuietWindow } from "../../domain/messaging/local-time";

export interface ProfileView {
  email?: string;
  emailConsent: boolean;
  locale?: string;
  timeZone?: string;
  firstName?: string;
  /** The member's own quiet hours (PUT /me/preferences), on top of the program's. */
  quietHours?: QuietWindow;
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

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minuteOfDay(value: unknown): number | undefined {
  const match = typeof value === "string" ? TIME_OF_DAY.exec(value) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** `{ start: "HH:MM", end: "HH:MM" }` as the preferences route stores it; anything else counts as none. */
function quietWindow(value: unknown): QuietWindow | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { start, end } = value as { start?: unknown; end?: unknown };
  const startMinute = minuteOfDay(start);
  const endMinute = minuteOfDay(end);
  return startMinute === undefined || endMinute === undefined ? undefined : { startMinute, endMinute };
}

/** A mark is `true` (set by hand: any address) or the address SES reported (apply-ses-feedback.ts). */
function marks(mark: unknown, email: string | undefined): boolean {
  return mark === true || (typeof mark === "string" && mark === email?.toLowerCase());
}

export function profileView(profile: Record<string, unknown> | undefined): ProfileView {
  const consent = (profile?.consent ?? {}) as { email?: unknown };
  const names = (profile?.profile ?? {}) as { givenName?: unknown };
  const email = text(profile?.email);
  const locale = text(profile?.locale);
  const timeZone = text(profile?.timeZone);
  const firstName = text(names.givenName);
  const quietHours = quietWindow(profile?.quietHours);
  return {
    ...(email && { email }),
    emailConsent: consent.email === true,
    ...(locale && { locale }),
    ...(timeZone && { timeZone }),
    ...(firstName && { firstName }),
    ...(quietHours && { quietHours }),
    suppressed: marks(profile?.[SUPPRESSION_FIELDS.suppressed], email),
    bounced: marks(profile?.[SUPPRESSION_FIELDS.bounced], email),
    complained: marks(profile?.[SUPPRESSION_FIELDS.complained], email),
  };
}
