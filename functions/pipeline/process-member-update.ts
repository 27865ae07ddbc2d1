import type { Inbound } from "./inbound";
import type { PipelineDeps } from "./ports";
import type { ProfileOutcome } from "./profile-outcome";

/**
 * Stores the changed profile fields. An update for a member whose enrolment has not arrived yet is
 * kept too: the enrolment, when it comes, only fills fields that are older.
 */
export async function processMemberUpdate(
  deps: PipelineDeps,
  event: Inbound<"memberUpdated">,
): Promise<ProfileOutcome> {
  const { detail } = event;
  const changedFields = await deps.members.putProfileFields(
    detail.memberId,
    {
      email: detail.email,
      locale: detail.locale,
      timeZone: detail.timeZone,
      birthday: detail.birthday,
      consent: detail.consent,
      profile: detail.profile,
    },
    detail.occurredAt,
  );
  return { outcome: changedFields.length > 0 ? "committed" : "unchanged", created: false, changedFields };
}
