import type * as z from "zod";
import { consentGrant, consentWithdrawal } from "../../domain/member/profile-facts";
import { MemberErased } from "../shared/errors";
import type { preferencesSchema } from "./api-schemas";
import type { HttpApiDeps } from "./member-access";

// Preferences live on the member's PROFILE item (beside e-mail and locale, which the member-updated
// handler writes): `consent`, `timeZone` and `quietHours`. Both routes merge their fields stamped with the
// time of the request (the server clock) and leave every other field to its own writer, so a concurrent
// Member Updated is never overwritten, and an event dated before the request never undoes it.

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

/**
 * Replaces the member's preferences as of `now`: every field is re-stated, unchanged ones too, so the result
 * does not depend on the order this request and concurrent events land in. Answers what is stored, which
 * differs from the request only where a change dated after `now` (e.g. from a producer's clock) won.
 */
export async function writePreferences(
  deps: HttpApiDeps,
  request: { memberId: string; preferences: Preferences; now: Date },
): Promise<Preferences> {
  const { profile } = await deps.members.mergeProfile(
    request.memberId,
    { fields: request.preferences, changedAt: request.now.toISOString() },
    deps.retry,
  );
  return fromProfile(profile);
}

/**
 * RFC 8058 one-click: withdraws marketing consent for one channel, recorded at `now` (the time of the
 * request), so no consent change dated earlier can turn it back on. A repeated click records it again.
 */
export async function withdrawConsent(
  deps: HttpApiDeps,
  request: { memberId: string; channel: ConsentChannel; now: Date },
): Promise<void> {
  try {
    await deps.members.mergeProfile(
      request.memberId,
      consentWithdrawal(request.channel, request.now.toISOString()),
      deps.retry,
    );
  } catch (error) {
    // An erased member has no address left to write to: the withdrawal already holds.
    if (!(error instanceof MemberErased)) throw error;
  }
}

/**
 * Re-subscribe from the unsubscribe confirmation page: consent for one channel given again, recorded at `now`
 * (the time of the request), so it is newer than the withdrawal it undoes and an older change cannot undo it.
 */
export async function grantConsent(
  deps: HttpApiDeps,
  request: { memberId: string; channel: ConsentChannel; now: Date },
): Promise<void> {
  await deps.members.mergeProfile(
    request.memberId,
    consentGrant(request.channel, request.now.toISOString()),
    deps.retry,
  );
}
