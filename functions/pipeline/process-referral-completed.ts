import { settleMember, UnknownMember } from "../../domain";
import { applyReferrerReward, referralSourceKey } from "../../domain/member/referral";
import type { ReferralCompleted } from "../../events/outbound/referral-completed";
import { payloadFingerprint } from "../adapters/dynamo/keys";
import { runMemberChange } from "../shared/member-change";
import type { PipelineDeps } from "./ports";
import { type ProcessOutcome, programAt, toProcessOutcome } from "./process-member-event";

/**
 * Referral Completed (Patron's own event, from the referee's commit) → the referrer's reward, in the referrer's
 * partition, through the same runner as every member change. Its business key is the referral
 * (`referral:<referee>`), so a redelivered event rewards once; the limit is checked in the referrer's state.
 * No time policy: the event may be dated days back (the referee was settled late), and it only ever adds.
 */
export async function processReferralCompleted(
  deps: PipelineDeps,
  detail: ReferralCompleted,
): Promise<ProcessOutcome> {
  const program = await programAt(deps, detail.occurredAt);
  const facts = { refereeId: detail.memberId, orderId: detail.orderId, completedAt: detail.occurredAt };
  const payload = payloadFingerprint({ referrerId: detail.referrerId, ...facts, completedAt: undefined });
  const result = await runMemberChange(
    deps.members,
    {
      memberId: detail.referrerId,
      sourceKey: referralSourceKey(detail.memberId),
      payload,
      program,
      clock: deps.clock,
      // The referrer had a code, so they exist; one erased since is retried, then dead-lettered.
      unknownMember: () => new UnknownMember(detail.referrerId),
      decide: (state, now) => {
        const settled = settleMember(state, program, now);
        const reward = applyReferrerReward(settled.state, program, facts, now);
        return {
          state: reward.state,
          entries: [...reward.entries, ...settled.entries],
          outbound: [...settled.outbound, ...reward.outbound],
        };
      },
    },
    deps.retry,
  );
  return toProcessOutcome(deps, result, {
    memberId: detail.referrerId,
    sourceKey: referralSourceKey(detail.memberId),
    payload,
  });
}
