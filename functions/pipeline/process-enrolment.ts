import { enrolMember } from "../../domain";
import type { MemberEnrolled } from "../../events/inbound/member-enrolled";
import { assertEventTime } from "./event-time";
import type { Inbound } from "./inbound";
import type { PipelineDeps, StoredState } from "./ports";
import { programAt } from "./process-member-event";
import { type ProfileOutcome, profileFields } from "./profile-outcome";
import { type ReferralLinkOutcome, resolveReferralLink } from "./referral-link";
import { syncBirthday } from "./sync-birthday";

/**
 * Creates the member in the lowest tier — unless an earlier purchase already auto-enrolled them,
 * which keeps that state — and stores the profile. Idempotent: the STATE Put is conditioned on the
 * item not existing, and profile fields only take newer values. The birthday in effect (this one, or a newer
 * one an earlier-arriving update stored) goes into the state as its month-day, for the birthday message.
 */
export async function processEnrolment(
  deps: PipelineDeps,
  event: Inbound<"memberEnrolled">,
): Promise<ProfileOutcome> {
  const outcome = await enrolFromDetail(deps, event.detail);
  if (outcome.referral && "declined" in outcome.referral)
    deps.logger.info("referral code not applied", {
      memberId: event.detail.memberId,
      reason: outcome.referral.declined,
    });
  return outcome;
}

/** What an enrolment needs; the HTTP API's self-enrolment (POST /me/enrolment) enrols through it too. */
export type EnrolmentDeps = Pick<PipelineDeps, "members" | "programs" | "clock" | "retry">;

/** The enrolment of one Member Enrolled detail, as processEnrolment describes. */
export async function enrolFromDetail(
  deps: EnrolmentDeps,
  detail: MemberEnrolled,
): Promise<ProfileOutcome & { referral?: ReferralLinkOutcome }> {
  const program = await programAt(deps, detail.occurredAt);
  assertEventTime({ program, occurredAt: detail.occurredAt, now: deps.clock(), kind: "member-enrolled" });
  const channel = detail.channel === undefined ? {} : { channel: detail.channel };
  const { referralCode } = detail;
  const referral =
    referralCode === undefined
      ? undefined
      : await resolveReferralLink(deps, { ...detail, referralCode }, program);
  const referredBy = referral && "linked" in referral ? { referredBy: referral.linked } : {};
  const { state } = enrolMember(detail.memberId, detail.occurredAt, program, { ...channel, ...referredBy });
  const created = (await deps.members.createMember(detail.memberId, state as StoredState)) === "created";
  // A member created just now has no profile unless an update came first: write it without reading.
  const merge = created ? deps.members.createOrMergeProfile : deps.members.mergeProfile;
  const { applied: changedFields, profile } = await merge(
    detail.memberId,
    {
      fields: {
        ...profileFields(detail),
        enrolment: { occurredAt: detail.occurredAt, channel: detail.channel, storeId: detail.storeId },
      },
      changedAt: detail.occurredAt,
    },
    deps.retry,
  );
  // A new member takes the profile's birthday (this one, or a newer one an earlier Member Updated stored): the
  // merge answered the profile as stored, so no second read.
  const stored = typeof profile.birthday === "string" ? profile.birthday : undefined;
  const birthday = changedFields.includes("birthday") || created ? stored : undefined;
  if (birthday !== undefined) await syncBirthday(deps, detail.memberId, program, birthday);
  return {
    outcome: created || changedFields.length > 0 ? "committed" : "unchanged",
    created,
    changedFields,
    ...(referral && { referral }),
  };
}
