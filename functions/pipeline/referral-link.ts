import type { Program } from "../../domain";
import { decideReferralLink, type RefereeLink, type ReferralDecline } from "../../domain/member/referral";
import type { MemberEnrolled } from "../../events/inbound/member-enrolled";
import type { PipelineDeps } from "./ports";

/** What an enrolment's referral code came to: a link to record, or why not. */
export type ReferralLinkOutcome = { linked: RefereeLink } | { declined: ReferralDecline };

/**
 * The facts the domain's decideReferralLink needs, looked up for an enrolment that carries a referral code: the
 * code's owner, whether the enrolling member already has state (not new), and whether the owner's profile has
 * the same e-mail address (compared here, case-insensitively, so no address reaches the domain or a log).
 */
export async function resolveReferralLink(
  deps: Pick<PipelineDeps, "members">,
  detail: MemberEnrolled & { referralCode: string },
  program: Program,
): Promise<ReferralLinkOutcome> {
  if (!program.referrals) return { declined: "referrals-off" };
  const [referrerId, existing] = await Promise.all([
    deps.members.referralCodeOwner(detail.referralCode),
    deps.members.getMember(detail.memberId),
  ]);
  const referrerEmail =
    referrerId === undefined || referrerId === detail.memberId
      ? undefined
      : (await deps.members.getProfile<{ email?: string }>(referrerId))?.email;
  const decision = decideReferralLink({
    program,
    refereeId: detail.memberId,
    referrerId,
    sameEmail: referrerEmail !== undefined && referrerEmail.toLowerCase() === detail.email.toLowerCase(),
    refereeIsNew: existing === undefined,
    at: detail.occurredAt,
  });
  return "link" in decision ? { linked: decision.link } : decision;
}
