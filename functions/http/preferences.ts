import type * as z from "zod";
import type { preferencesSchema } from "./api-schemas";
import type { HttpApiDeps } from "./member-access";

// Preferences live on the member's PROFILE item (beside e-mail and locale, which the member-updated
// handler writes): `consent`, `timeZone` and `quietHours`. Other profile fields are kept as they are.

type Preferences = z.output<typeof preferencesSchema>;
type Profile = Record<string, unknown>;
export type ConsentChannel = keyof Preferences["consent"];

/** Without a recorded choice nobody gets marketing: consent defaults to "no". */
const DEFAULTS: Preferences = {
  consent: { email: false, sms: false, push: false },
  timeZone: "UTC",
  quietHours: null,
};

function fromProfile(profile: Profile | undefined): Preferences {
  const consent = (profile?.consent ?? {}) as Partial<Preferences["consent"]>;
  return {
    consent: {
      email: consent.email === true,
      sms: consent.sms === true,
      push: consent.push === true,
    },
    timeZone: typeof profile?.timeZone === "string" ? profile.timeZone : DEFAULTS.timeZone,
    quietHours: (profile?.quietHours as Preferences["quietHours"] | undefined) ?? null,
  };
}

export async function readPreferences(deps: HttpApiDeps, memberId: string): Promise<Preferences> {
  return fromProfile(await deps.members.getProfile<Profile>(memberId));
}

export async function writePreferences(
  deps: HttpApiDeps,
  memberId: string,
  next: Preferences,
): Promise<Preferences> {
  const profile = (await deps.members.getProfile<Profile>(memberId)) ?? {};
  await deps.members.putProfile(memberId, { ...profile, ...next });
  return next;
}

/** RFC 8058 one-click: withdraws marketing consent for one channel. Idempotent. */
export async function withdrawConsent(
  deps: HttpApiDeps,
  memberId: string,
  channel: ConsentChannel,
): Promise<void> {
  const profile = (await deps.members.getProfile<Profile>(memberId)) ?? {};
  const current = fromProfile(profile);
  if (!current.consent[channel] && profile.consent !== undefined) return;
  await deps.members.putProfile(memberId, { ...profile, consent: { ...current.consent, [channel]: false } });
}
