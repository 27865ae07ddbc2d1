import { Link } from "react-router";
import { formatDay, formatInteger } from "../format";
import type { Member360 } from "./member-view";

// The member's referrals: who referred them and where that referral stands, and the friends they referred.

const STATUS: Record<NonNullable<Member360["referral"]["referredBy"]>["status"], string> = {
  "awaiting-purchase": "awaiting a first qualifying purchase",
  qualifying: "qualifying purchase in its pending period",
  completed: "completed",
};

export function ReferralCard({ referral }: { referral: Member360["referral"] }) {
  const { referredBy, asReferrer } = referral;
  return (
    <section className="card" aria-labelledby="referral-heading">
      <h3 id="referral-heading">Referrals</h3>
      <dl className="facts facts-wide">
        <dt>Referred by</dt>
        <dd data-testid="referred-by">
          {referredBy ? (
            <>
              <Link to={`/members/${encodeURIComponent(referredBy.referrerId)}`}>
                {referredBy.referrerId}
              </Link>{" "}
              on {formatDay(referredBy.linkedAt)}: {STATUS[referredBy.status]}
              {referredBy.completesOn && `, completes on ${formatDay(referredBy.completesOn)}`}
            </>
          ) : (
            "Nobody (joined without a referral code)"
          )}
        </dd>
        <dt>Friends referred</dt>
        <dd data-testid="friends-referred">
          {formatInteger(asReferrer.completed)} completed, {formatInteger(asReferrer.rewardedThisPeriod)}{" "}
          rewarded this period
        </dd>
      </dl>
    </section>
  );
}
