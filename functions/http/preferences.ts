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
 * One channel's consent from the unsubscribe link: withdrawn (RFC 8058 one-click, or the page's button) or given
 * again (the confirmation page's re-subscribe button). It is recorded at `now`, the time of the request, so no
 * change dated earlier can undo it and a re-subscription is newer than the withdrawal it undoes. A repeated
 * click records it again.
 */
export async function setConsent(
  deps: HttpApiDeps,
  request: { memberId: string; channel: ConsentChannel; given: boolean; now: Date },
): Promise<void> {
  const at = request.now.toISOString();
  const change = request.given ? consentGrant(request.channel, at) : consentWithdrawal(request.channel, at);
  try {
    await deps.members.mergeProfile(request.memberId, change, deps.retry);
  } catch (error) {
    // An erased member has no address left to write to: a withdrawal already holds (a re-subscription cannot).
    if (request.given || !(error instanceof MemberErased)) throw error;
  }
}
