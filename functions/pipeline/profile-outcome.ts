// Member Enrolled and Member Updated. Profile data (PII) goes to the PROFILE item only; each field (each
// consent channel, each name part) keeps the occurredAt of its last change and only a newer change replaces
// it (domain/member/profile-facts.ts), so updates that arrive out of order or twice converge. Neither event
// moves points, so neither writes a ledger entry.

import type { MemberUpdated } from "../../events/inbound/member-updated";

/** The profile fields both events carry, as the profile merge takes them. */
export function profileFields(detail: Omit<MemberUpdated, "schemaVersion" | "memberId" | "occurredAt">) {
  return {
    email: detail.email,
    locale: detail.locale,
    timeZone: detail.timeZone,
    birthday: detail.birthday,
    consent: detail.consent,
    profile: detail.profile,
  };
}

export interface ProfileOutcome {
  outcome: "committed" | "unchanged";
  /** True when this event created the member's state (enrolment of a member not yet seen). */
  created: boolean;
  /** Paths of the profile fields this event changed ("email", "consent.sms"; never values: they are PII). */
  changedFields: string[];
}
