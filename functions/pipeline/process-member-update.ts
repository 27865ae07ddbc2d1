import { assertEventTime } from "./event-time";
import type { Inbound } from "./inbound";
import type { PipelineDeps } from "./ports";
import { programAt } from "./process-member-event";
import { type ProfileOutcome, profileFields } from "./profile-outcome";
import { syncBirthday } from "./sync-birthday";

/**
 * Stores the changed profile fields. An update for a member whose enrolment has not arrived yet is
 * kept too: the enrolment, when it comes, only fills fields that are older. A changed birthday also goes
 * into the member's state (month-day only) for the birthday message.
 */
export async function processMemberUpdate(
  deps: PipelineDeps,
  event: Inbound<"memberUpdated">,
): Promise<ProfileOutcome> {
  const { detail } = event;
  // No version in effect at occurredAt: it predates them all, so it is in the past once the program runs.
  const program = await deps.programs.inEffectAt(detail.occurredAt);
  if (program)
    assertEventTime({ program, occurredAt: detail.occurredAt, now: deps.clock(), kind: "member-updated" });
  const { applied: changedFields } = await deps.members.mergeProfile(
    detail.memberId,
    {
      fields: profileFields(detail),
      changedAt: detail.occurredAt,
    },
    deps.retry,
  );
  if (detail.birthday !== undefined && changedFields.includes("birthday"))
    await syncBirthday(deps, detail.memberId, await programAt(deps, detail.occurredAt), detail.birthday);
  return { outcome: changedFields.length > 0 ? "committed" : "unchanged", created: false, changedFields };
}
